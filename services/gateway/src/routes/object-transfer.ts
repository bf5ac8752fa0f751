import { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { bucketV1 } from "@strata/proto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * How object bytes cross the gateway without being held: an upload's body is read chunk by chunk
 * into the PutObject stream (gRPC flow control pacing the client), a download's chunks are piped
 * from the GetObject stream into the answer.
 */

/** An upload or download may take longer than a metadata call; it still ends. */
export const OBJECT_TRANSFER_DEADLINE_MS = 15 * 60 * 1000;

/**
 * In `scope` only: every request body, whatever its Content-Type, is handed to the route as the
 * raw stream, unread and unlimited by the JSON body limit (the namespace service enforces its own
 * object size limit while the bytes stream).
 */
export function acceptRawBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", (_request, payload, done) => done(null, payload));
}

/**
 * The header, the body's chunks, then the end marker with the byte count. Leaving early (a
 * refusal) leaves the body unread, not destroyed. The end of the request stream is not the end of
 * the body (a destroyed socket ends it too): a body the client broke off throws before the marker,
 * the PutObject call is cancelled, and the namespace service keeps nothing (ADR 0008).
 */
export async function* uploadMessages(
  header: bucketV1.PutObjectHeader,
  body: unknown,
): AsyncGenerator<bucketV1.PutObjectRequest> {
  yield { header };
  if (!(body instanceof Readable)) return;
  let received = 0;
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    received += bytes.length;
    yield { chunk: bytes };
  }
  if (body instanceof IncomingMessage) assertBodyComplete(body, received);
  yield { end: { size: received } };
}

/** Throws unless the whole request body arrived: the message completed, with every announced byte. */
function assertBodyComplete(request: IncomingMessage, received: number): void {
  if (!request.complete) throw new Error("The upload broke off before its body ended");
  const announced = request.headers["content-length"];
  if (announced !== undefined && Number(announced) !== received) {
    throw new Error(`The upload announced ${announced} bytes and sent ${received}`);
  }
}

/**
 * After a refused upload: read and drop what the client is still sending, so it gets to read the
 * answer (a client that is cut off mid-send usually reports a reset, not the 413). Node's request
 * timeout bounds how long this may go on.
 */
export function discardRestOfBody(request: FastifyRequest): void {
  if (!request.raw.complete) request.raw.resume();
}

/** The chunks after a GetObject stream's first message, as the answer's body. */
export function downloadBody(messages: AsyncIterable<bucketV1.GetObjectResponse>): Readable {
  return Readable.from(
    (async function* () {
      for await (const message of messages) {
        if (message.chunk !== undefined) yield message.chunk;
      }
    })(),
  );
}

/** The headers that describe an object on GET and HEAD. */
export function setObjectHeaders(reply: FastifyReply, object: bucketV1.ObjectInfo): void {
  reply.header("content-type", object.contentType);
  reply.header("content-length", String(object.size));
  reply.header("etag", `"${object.etag}"`);
  reply.header("x-checksum-sha256", object.sha256);
  if (object.createdAt !== undefined) reply.header("last-modified", object.createdAt.toUTCString());
  // Stored bytes are the user's, not ours: a browser must never run them as our content.
  reply.header("x-content-type-options", "nosniff");
  reply.header("content-security-policy", "default-src 'none'; sandbox");
}
