/**
 * The largest gRPC message a service accepts or sends, and a client receives. A batch of 10,000
 * documents with 384-d vectors is ~30 MB on the wire and grpc-js refuses anything over 4 MiB by
 * default; the gateway's body limits stay the real bound on what a caller can send.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
