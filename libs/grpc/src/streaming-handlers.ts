import type * as grpc from "@grpc/grpc-js";
import { type AppError, appError, type Result } from "@strata/errors";
import { toServiceError } from "./error-mapping.js";
import { type CallerContext, callContext, internalFailure, respond } from "./handlers.js";

/**
 * Streaming counterparts of `unaryWithCaller`: the same caller check (a call without a verified
 * caller answers UNAUTHENTICATED), the same Result → status mapping, a throw answers INTERNAL.
 * The internal-token check and the span are added by the server wrapper for every kind of method.
 */

/** Reads the request messages (in order, with flow control) and answers once. */
export type ClientStreamHandlerWithCaller<Req, Res> = (
  messages: AsyncIterable<Req>,
  context: CallerContext,
) => Promise<Result<NoInfer<Res>, AppError>>;

/**
 * Answers an error before any message, or the messages to send. The iterable is consumed with
 * back-pressure; a cancelled call stops it early (its `return` runs, so a file stream closes).
 */
export type ServerStreamHandlerWithCaller<Req, Res> = (
  request: Req,
  context: CallerContext,
) => Promise<Result<AsyncIterable<NoInfer<Res>>, AppError>>;

const NO_CALLER = (): AppError => appError("unauthorized", "The call carries no verified caller");

export function clientStreamWithCaller<Req, Res>(
  handler: ClientStreamHandlerWithCaller<Req, Res>,
): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    const context = callContext(call);
    const { caller } = context;
    if (caller === undefined) {
      callback(toServiceError(NO_CALLER()));
      return;
    }
    // A handler that answers early (a body too large) stops reading; leaving its loop must not
    // destroy the call, or the answer it is about to send would be lost with it.
    const messages: AsyncIterable<Req> = {
      [Symbol.asyncIterator]: () => call.iterator({ destroyOnReturn: false }),
    };
    respond(() => handler(messages, { ...context, caller }), callback);
  };
}

export function serverStreamWithCaller<Req, Res>(
  handler: ServerStreamHandlerWithCaller<Req, Res>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const context = callContext(call);
    const { caller } = context;
    if (caller === undefined) {
      call.emit("error", toServiceError(NO_CALLER()));
      return;
    }
    void sendAll(call, () => handler(call.request, { ...context, caller }));
  };
}

async function sendAll<Res>(
  call: grpc.ServerWritableStream<unknown, Res>,
  run: () => Promise<Result<AsyncIterable<Res>, AppError>>,
): Promise<void> {
  try {
    const outcome = await run();
    if (!outcome.ok) {
      call.emit("error", toServiceError(outcome.error));
      return;
    }
    for await (const message of outcome.value) {
      if (call.cancelled) break;
      if (!call.write(message)) await drained(call);
    }
    if (!call.cancelled) call.end();
  } catch (exception: unknown) {
    // Headers may be out already; a failure status still tells the client the stream is incomplete.
    if (!call.cancelled) call.emit("error", internalFailure(exception));
  }
}

/** Waits until the call can take more, or is gone (cancelled or closed). */
function drained(call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off("drain", done);
      call.off("cancelled", done);
      call.off("close", done);
      resolve();
    };
    call.once("drain", done);
    call.once("cancelled", done);
    call.once("close", done);
  });
}
