export { CALLER_METADATA_KEY, decodeCaller, encodeCaller, INTERNAL_TOKEN_METADATA_KEY } from "./caller.js";
export type { CallUnaryOptions, ClientInterceptorOptions, UnaryInvoker } from "./client.js";
export {
  callerMetadata,
  callUnary,
  clientInterceptors,
  createChannelOptions,
  DEFAULT_DEADLINE_MS,
} from "./client.js";
export {
  checkBatchItems,
  ERROR_METADATA_KEY,
  fromGrpcError,
  grpcStatusOf,
  isServiceError,
  itemErrorJson,
  itemErrorOf,
  METHOD_METADATA_KEY,
  toServiceError,
} from "./error-mapping.js";
export type { CallContext, CallerContext, UnaryHandler, UnaryHandlerWithCaller } from "./handlers.js";
export { callerOf, unary, unaryWithCaller } from "./handlers.js";
export { generateInternalToken, InternalTokenVerifier } from "./internal-auth.js";
export { MAX_MESSAGE_BYTES } from "./limits.js";
export { LocalServices } from "./local-calls.js";
export type {
  ClientCallOptions,
  ClientStreamCall,
  ResultClient,
  ServerStreamCall,
  UnaryCall,
} from "./result-client.js";
export { resultClient } from "./result-client.js";
export type { GrpcServerOptions, GrpcServiceRegistration, RunningGrpcServer } from "./server.js";
export { DEFAULT_SHUTDOWN_GRACE_MS, SERVER_CHANNEL_OPTIONS, startGrpcServer } from "./server.js";
export type { GrpcCallObserver } from "./server-wrapper.js";
export type { ClientStreamInvoker, OpenedServerStream, ServerStreamInvoker } from "./streaming-calls.js";
export { callClientStream, openServerStream } from "./streaming-calls.js";
export type { ClientStreamHandlerWithCaller, ServerStreamHandlerWithCaller } from "./streaming-handlers.js";
export { clientStreamWithCaller, serverStreamWithCaller } from "./streaming-handlers.js";
