import * as grpc from "@grpc/grpc-js";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Caller } from "@strata/access";
import { type AppError, err, ok, type Result } from "@strata/errors";
import { tracer } from "@strata/telemetry";
import { CALLER_METADATA_KEY, encodeCaller, INTERNAL_TOKEN_METADATA_KEY } from "./caller.js";
import { fromGrpcError, METHOD_METADATA_KEY } from "./error-mapping.js";
import { MAX_MESSAGE_BYTES } from "./limits.js";
import type { LocalServices } from "./local-calls.js";

export interface ClientInterceptorOptions {
  readonly internalToken: string;
  /** The server's host:port, under which `localCalls` finds it when it runs in this process. */
  readonly target?: string;
  /** The process's registry of local servers: unary calls to one of them skip HTTP/2 (local-calls.ts). */
  readonly localCalls?: LocalServices;
}

/**
 * Interceptors for every internal client: they add the internal token and a CLIENT span named
 * `<package.Service>/<Method>` whose context travels as `traceparent`. Build a client with
 *
 *   new authV1.AuthServiceClient(address, grpc.credentials.createInsecure(), {
 *     interceptors: clientInterceptors({ internalToken }),
 *     ...createChannelOptions(),
 *   })
 */
export function clientInterceptors(options: ClientInterceptorOptions): grpc.Interceptor[] {
  const { internalToken } = options;
  const interceptor: grpc.Interceptor = (callOptions, nextCall) => {
    const path = callOptions.method_definition.path;
    const rpc = path.replace(/^\//, "");
    const [service = rpc, method = ""] = rpc.split("/");
    // Interceptors run synchronously inside the client method call, so the active context is the caller's.
    const parent = context.active();
    const span = tracer().startSpan(
      rpc,
      {
        kind: SpanKind.CLIENT,
        attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method },
      },
      parent,
    );
    return new grpc.InterceptingCall(nextCall(callOptions), {
      start(metadata, _listener, next) {
        metadata.set(INTERNAL_TOKEN_METADATA_KEY, internalToken);
        const carrier: Record<string, string> = {};
        propagation.inject(trace.setSpan(parent, span), carrier);
        for (const [key, value] of Object.entries(carrier)) metadata.set(key, value);
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            span.setAttribute("rpc.grpc.status_code", status.code);
            if (status.code !== grpc.status.OK) {
              span.setStatus({ code: SpanStatusCode.ERROR, message: status.details });
              // Lets fromGrpcError name the service that failed; local to this process.
              status.metadata.set(METHOD_METADATA_KEY, path);
            }
            span.end();
            nextStatus(status);
          },
        });
      },
    });
  };
  return options.target === undefined || options.localCalls === undefined
    ? [interceptor]
    : [interceptor, options.localCalls.interceptor(options.target)];
}

/** Metadata carrying the verified caller (or none, for calls made on nobody's behalf). */
export function callerMetadata(caller?: Caller): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (caller !== undefined) metadata.set(CALLER_METADATA_KEY, encodeCaller(caller));
  return metadata;
}

/** Channel settings for internal clients: keepalive pings notice a dead peer within ~40 s. */
export function createChannelOptions(): Partial<grpc.ClientOptions> {
  return {
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_timeout_ms": 10_000,
    "grpc.keepalive_permit_without_calls": 1,
    // Reconnect quickly after a service restarts (defaults back off up to 120 s).
    "grpc.initial_reconnect_backoff_ms": 200,
    "grpc.max_reconnect_backoff_ms": 5_000,
    // The caller travels in metadata with its compiled ACL filter (ADR 0018), which can pass
    // grpc-js's 8 KiB default for a principal with many roles in a namespace with many rules.
    "grpc.max_metadata_size": 256 * 1024,
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  };
}

/** A call without an explicit deadline still ends: a stuck service must not hold requests forever. */
export const DEFAULT_DEADLINE_MS = 10_000;

export type UnaryInvoker<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

export interface CallUnaryOptions {
  readonly caller?: Caller;
  /** Defaults to DEFAULT_DEADLINE_MS. */
  readonly deadlineMs?: number;
  /** Names the service in "unavailable" messages when the interceptors are not installed. */
  readonly service?: string;
}

/**
 * Calls a unary method as a Result. Pass the method bound to its client:
 * `callUnary(client.verifyKey.bind(client), { secret }, { caller })` — `bind` keeps the typed
 * 4-argument overload, so request and response types are inferred (an arrow function needs
 * explicit type arguments: `callUnary<VerifyKeyRequest, VerifyKeyResponse>(…)`).
 */
export function callUnary<Req, Res>(
  invoke: UnaryInvoker<Req, Res>,
  request: Req,
  options: CallUnaryOptions = {},
): Promise<Result<Res, AppError>> {
  return new Promise((resolve) => {
    const deadline = new Date(Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS));
    try {
      invoke(request, callerMetadata(options.caller), { deadline }, (error, response) => {
        resolve(error ? err(fromGrpcError(error, options.service)) : ok(response));
      });
    } catch (exception: unknown) {
      // e.g. a request that cannot be serialized: our bug, reported as internal.
      resolve(err(fromGrpcError(exception, options.service)));
    }
  });
}
