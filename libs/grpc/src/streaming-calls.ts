import type * as grpc from "@grpc/grpc-js";
import { type AppError, appError, err, internal, ok, type Result } from "@strata/errors";
import { type CallUnaryOptions, callerMetadata, DEFAULT_DEADLINE_MS } from "./client.js";
import { fromGrpcError } from "./error-mapping.js";

/**
 * Streaming counterparts of `callUnary`: the caller travels in metadata, every call has a deadline,
 * and failures come back as the AppError the service answered (or unavailable/internal), as a
 * Result. Pass the method bound to its client (`client.putObject.bind(client)`).
 */
export type ClientStreamInvoker<Req, Res> = (
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientWritableStream<Req>;

export type ServerStreamInvoker<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
) => grpc.ClientReadableStream<Res>;

/**
 * Sends `messages` (with back-pressure) and resolves with the single answer. When the service
 * answers before every message went (a refusal), the rest is not read: `messages`' `return` runs,
 * and the caller decides what happens to its source. When `messages` throws, the call is cancelled
 * and the answer is a bad_request: the source (a client's upload) broke off.
 */
export function callClientStream<Req, Res>(
  invoke: ClientStreamInvoker<Req, Res>,
  messages: AsyncIterable<Req>,
  options: CallUnaryOptions = {},
): Promise<Result<Res, AppError>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: Result<Res, AppError>): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const deadline = new Date(Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS));
    let call: grpc.ClientWritableStream<Req>;
    try {
      call = invoke(callerMetadata(options.caller), { deadline }, (error, response) => {
        settle(error ? err(fromGrpcError(error, options.service)) : ok(response));
      });
    } catch (exception: unknown) {
      settle(err(fromGrpcError(exception, options.service)));
      return;
    }
    const pump = async (): Promise<void> => {
      for await (const message of messages) {
        if (settled) return;
        if (!call.write(message)) await writable(call, () => settled);
      }
      if (!settled) call.end();
    };
    pump().catch(() => {
      settle(err(appError("bad_request", "The request stream broke off before it ended")));
      call.cancel();
    });
  });
}

/** Waits for "drain", or for the call to finish (its status arrived, or it failed). */
function writable<Req>(call: grpc.ClientWritableStream<Req>, finished: () => boolean): Promise<void> {
  if (finished()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      call.off("drain", done);
      call.off("status", done);
      call.off("error", done);
      call.off("close", done);
      resolve();
    };
    call.once("drain", done);
    call.once("status", done);
    call.once("error", done);
    call.once("close", done);
  });
}

export interface OpenedServerStream<Res> {
  /** The first message: callers look at it (an object's info) before they answer anything. */
  readonly first: Res;
  /**
   * The messages after the first. A failure after the first message throws from the iteration;
   * leaving the loop early cancels the call.
   */
  readonly rest: AsyncIterable<Res>;
}

/**
 * Starts a server-streaming call and waits for its first message, so an error the service answers
 * up front (not found, forbidden) is a Result like a unary call's, before anything was sent on.
 */
export async function openServerStream<Req, Res>(
  invoke: ServerStreamInvoker<Req, Res>,
  request: Req,
  options: CallUnaryOptions = {},
): Promise<Result<OpenedServerStream<Res>, AppError>> {
  const deadline = new Date(Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS));
  let call: grpc.ClientReadableStream<Res>;
  try {
    call = invoke(request, callerMetadata(options.caller), { deadline });
  } catch (exception: unknown) {
    return err(fromGrpcError(exception, options.service));
  }
  const iterator: AsyncIterator<Res> = call[Symbol.asyncIterator]();
  let first: IteratorResult<Res>;
  try {
    first = await iterator.next();
  } catch (exception: unknown) {
    return err(fromGrpcError(exception, options.service));
  }
  if (first.done === true) return err(internal("The service ended the stream without an answer"));
  async function* rest(): AsyncGenerator<Res> {
    let finished = false;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) {
          finished = true;
          return;
        }
        yield next.value;
      }
    } finally {
      if (!finished) call.cancel();
    }
  }
  return ok({ first: first.value, rest: rest() });
}
