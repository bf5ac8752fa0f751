import type * as grpc from "@grpc/grpc-js";
import { type Context, context } from "@opentelemetry/api";
import type { AppError, Result } from "@strata/errors";
import { type CallUnaryOptions, callUnary, type UnaryInvoker } from "./client.js";
import {
  type ClientStreamInvoker,
  callClientStream,
  type OpenedServerStream,
  openServerStream,
  type ServerStreamInvoker,
} from "./streaming-calls.js";

export interface ClientCallOptions extends CallUnaryOptions {
  /** The trace context the call runs in (its CLIENT span's parent); defaults to the active one. */
  readonly trace?: Context | undefined;
}

/** One method of a generated service definition (`authV1.AuthServiceService.verifyKey`). */
interface MethodOf<Req, Res, RequestStream extends boolean, ResponseStream extends boolean> {
  readonly path: string;
  readonly requestStream: RequestStream;
  readonly responseStream: ResponseStream;
  readonly requestSerialize: (value: Req) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => Res;
}

export type UnaryCall<Req, Res> = (
  request: Req,
  options?: ClientCallOptions,
) => Promise<Result<Res, AppError>>;
export type ClientStreamCall<Req, Res> = (
  messages: AsyncIterable<Req>,
  options?: ClientCallOptions,
) => Promise<Result<Res, AppError>>;
export type ServerStreamCall<Req, Res> = (
  request: Req,
  options?: ClientCallOptions,
) => Promise<Result<OpenedServerStream<Res>, AppError>>;

/** What a method becomes: every kind but bidirectional streaming (no service has one). */
type CallOf<M> =
  M extends MethodOf<infer Req, infer Res, false, false>
    ? UnaryCall<Req, Res>
    : M extends MethodOf<infer Req, infer Res, true, false>
      ? ClientStreamCall<Req, Res>
      : M extends MethodOf<infer Req, infer Res, false, true>
        ? ServerStreamCall<Req, Res>
        : never;

/** A service's methods as functions that answer Results (see `resultClient`). */
export type ResultClient<D> = {
  readonly [K in keyof D as CallOf<D[K]> extends never ? never : K]: CallOf<D[K]>;
};

/**
 * Wraps a generated client once, so that callers write `auth.verifyKey({ secret }, { caller })`
 * and get a `Result` (the AppError the service answered, or unavailable/internal), with the
 * caller in metadata, a deadline on every call and `defaults` under each call's own options;
 * instead of `callUnary(client.verifyKey.bind(client), …)` at every call site. The calls go
 * through the client, so its interceptors (token, span, local calls) and channel apply.
 */
export function resultClient<D extends grpc.ServiceDefinition>(
  client: grpc.Client,
  definition: D,
  defaults: ClientCallOptions = {},
): ResultClient<D> {
  const calls: Record<string, (input: unknown, options?: ClientCallOptions) => Promise<unknown>> = {};
  for (const [name, method] of Object.entries(definition)) {
    const call = callFor(client, method);
    if (call === undefined) continue;
    calls[name] = (input, options = {}) => {
      const merged: ClientCallOptions = { ...defaults, ...options };
      const run = () => call(input, merged);
      return merged.trace === undefined ? run() : context.with(merged.trace, run);
    };
  }
  return calls as ResultClient<D>;
}

function callFor(
  client: grpc.Client,
  method: grpc.MethodDefinition<unknown, unknown>,
): ((input: unknown, options: CallUnaryOptions) => Promise<unknown>) | undefined {
  const { path, requestSerialize: serialize, responseDeserialize: deserialize } = method;
  if (!method.requestStream && !method.responseStream) {
    const invoke: UnaryInvoker<unknown, unknown> = (request, metadata, options, callback) =>
      client.makeUnaryRequest(path, serialize, deserialize, request, metadata, options, callback);
    return (request, options) => callUnary(invoke, request, options);
  }
  if (method.requestStream && !method.responseStream) {
    const invoke: ClientStreamInvoker<unknown, unknown> = (metadata, options, callback) =>
      client.makeClientStreamRequest(path, serialize, deserialize, metadata, options, callback);
    return (messages, options) => callClientStream(invoke, messages as AsyncIterable<unknown>, options);
  }
  if (!method.requestStream && method.responseStream) {
    const invoke: ServerStreamInvoker<unknown, unknown> = (request, metadata, options) =>
      client.makeServerStreamRequest(path, serialize, deserialize, request, metadata, options);
    return (request, options) => openServerStream(invoke, request, options);
  }
  return undefined;
}
