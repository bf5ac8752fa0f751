import type { EventEmitter } from "node:events";
import * as grpc from "@grpc/grpc-js";
import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Logger } from "@strata/logger";
import { extractTraceContext, recordError, tracer } from "@strata/telemetry";
import { ERROR_METADATA_KEY } from "./error-mapping.js";
import { HANDLER_EXCEPTION, internalFailure } from "./handlers.js";
import type { InternalTokenVerifier } from "./internal-auth.js";

/**
 * Told about every answered call (metrics). A port so this lib needs no metrics library; the
 * platform's @strata/metrics implements it.
 */
export interface GrpcCallObserver {
  /** `rpc` is `<package.Service>/<Method>`; `code` the gRPC status code answered. */
  callFinished(rpc: string, code: grpc.status, seconds: number): void;
}

/**
 * Wraps every handler of a service: internal-token check, a SERVER span named
 * `<package.Service>/<Method>` parented on the caller's `traceparent`, and failure logging. Done by
 * wrapping handlers rather than with a server interceptor so the handler itself runs inside the
 * span's context (its awaits inherit it, and so do the spans and logs it makes).
 */
export function wrapImplementation(
  definition: grpc.ServiceDefinition,
  implementation: grpc.UntypedServiceImplementation,
  verifier: InternalTokenVerifier,
  logger: Logger,
  observer?: GrpcCallObserver,
): grpc.UntypedServiceImplementation {
  const wrapped: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const handler = implementation[name];
    // A missing handler is answered UNIMPLEMENTED by grpc-js itself.
    if (handler === undefined) continue;
    // Bound as grpc-js does, so class-based implementations keep their `this`.
    wrapped[name] = wrapHandler(method, handler.bind(implementation), verifier, logger, observer);
  }
  return wrapped;
}

function wrapHandler(
  method: grpc.MethodDefinition<unknown, unknown>,
  handler: grpc.UntypedHandleCall,
  verifier: InternalTokenVerifier,
  logger: Logger,
  observer: GrpcCallObserver | undefined,
): grpc.UntypedHandleCall {
  const rpc = method.path.replace(/^\//, "");
  const observe = (call: SurfaceCall) => startObservation(rpc, call, verifier, logger, observer);

  if (!method.requestStream) {
    if (!method.responseStream) {
      const unaryHandler = handler as grpc.handleUnaryCall<unknown, unknown>;
      return (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const observation = observe(call);
        if (!observation) return callback(UNAUTHENTICATED_STATUS);
        const finish = observation.finishing(callback);
        observation.run(
          () => unaryHandler(call, finish),
          (status) => finish(status),
        );
      };
    }
    const serverStreaming = handler as grpc.handleServerStreamingCall<unknown, unknown>;
    return (call: grpc.ServerWritableStream<unknown, unknown>) => {
      const observation = observe(call);
      if (!observation) return void call.emit("error", UNAUTHENTICATED_STATUS);
      observation.endWithStream(call);
      observation.run(
        () => serverStreaming(call),
        (status) => call.emit("error", status),
      );
    };
  }
  if (!method.responseStream) {
    const clientStreaming = handler as grpc.handleClientStreamingCall<unknown, unknown>;
    return (call: grpc.ServerReadableStream<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const observation = observe(call);
      if (!observation) return callback(UNAUTHENTICATED_STATUS);
      const finish = observation.finishing(callback);
      observation.run(
        () => clientStreaming(call, finish),
        (status) => finish(status),
      );
    };
  }
  const bidi = handler as grpc.handleBidiStreamingCall<unknown, unknown>;
  return (call: grpc.ServerDuplexStream<unknown, unknown>) => {
    const observation = observe(call);
    if (!observation) return void call.emit("error", UNAUTHENTICATED_STATUS);
    observation.endWithStream(call);
    observation.run(
      () => bidi(call),
      (status) => call.emit("error", status),
    );
  };
}

// No AppError metadata on purpose: for the API user a rejected internal token is our
// misconfiguration, so the client side maps it to "internal", never to a 401.
const UNAUTHENTICATED_STATUS: Partial<grpc.StatusObject> = {
  code: grpc.status.UNAUTHENTICATED,
  details: "Missing or invalid internal token",
};

type SurfaceCall = Pick<grpc.ServerUnaryCall<unknown, unknown>, "metadata" | "getPeer">;
type StreamCall = Pick<EventEmitter, "once">;

interface Observation {
  run(fn: () => void, onThrow: (status: Partial<grpc.StatusObject>) => void): void;
  finishing(callback: grpc.sendUnaryData<unknown>): grpc.sendUnaryData<unknown>;
  endWithStream(call: StreamCall): void;
}

function startObservation(
  rpc: string,
  call: SurfaceCall,
  verifier: InternalTokenVerifier,
  logger: Logger,
  observer: GrpcCallObserver | undefined,
): Observation | undefined {
  const startedAt = performance.now();
  if (!verifier.verify(call.metadata)) {
    logger.warn({ rpc, peer: call.getPeer() }, "gRPC call rejected: missing or invalid internal token");
    observer?.callFinished(rpc, grpc.status.UNAUTHENTICATED, (performance.now() - startedAt) / 1000);
    return undefined;
  }
  const parent = extractTraceContext(traceCarrier(call.metadata));
  const [service = rpc, methodName = ""] = rpc.split("/");
  const span = tracer().startSpan(
    rpc,
    {
      kind: SpanKind.SERVER,
      attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": methodName },
    },
    parent,
  );
  const spanContext = trace.setSpan(parent, span);
  let ended = false;
  const end = (status: Partial<grpc.StatusObject> | null): void => {
    if (ended) return;
    ended = true;
    const code = settleSpan(span, rpc, status, logger);
    observer?.callFinished(rpc, code, (performance.now() - startedAt) / 1000);
  };
  return {
    run(fn, onThrow) {
      try {
        context.with(spanContext, fn);
      } catch (exception: unknown) {
        // Only raw handlers (not built with `unary`) can throw synchronously; answer INTERNAL
        // without the message rather than let the exception escape into grpc-js.
        onThrow(internalFailure(exception));
      }
    },
    finishing(callback) {
      return (error, value, trailer, flags) => {
        end(error);
        callback(error, value, trailer, flags);
      };
    },
    endWithStream(call) {
      call.once("finish", () => end(null));
      call.once("error", (error: Partial<grpc.StatusObject>) => end(error));
      call.once("cancelled", () => end({ code: grpc.status.CANCELLED }));
    },
  };
}

function settleSpan(
  span: Span,
  rpc: string,
  status: Partial<grpc.StatusObject> | null,
  logger: Logger,
): grpc.status {
  const code = status === null ? grpc.status.OK : (status.code ?? grpc.status.UNKNOWN);
  span.setAttribute("rpc.grpc.status_code", code);
  if (status !== null) {
    const exception = (status as { [HANDLER_EXCEPTION]?: unknown })[HANDLER_EXCEPTION];
    const kind = errorKindOf(status.metadata);
    if (exception !== undefined) {
      recordError(span, exception);
      logger.error({ rpc, code, err: exception }, "gRPC handler failed");
    } else if (isServerFault(code)) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: status.details ?? grpc.status[code] });
      logger.warn({ rpc, code, kind, message: status.details }, "gRPC call failed");
    } else {
      // Expected outcomes (not found, invalid…) are answers, not faults.
      logger.debug({ rpc, code, kind, message: status.details }, "gRPC call answered an error");
    }
  }
  span.end();
  return code;
}

/** Server-side error codes per the OpenTelemetry gRPC conventions. */
function isServerFault(code: grpc.status): boolean {
  switch (code) {
    case grpc.status.UNKNOWN:
    case grpc.status.DEADLINE_EXCEEDED:
    case grpc.status.UNIMPLEMENTED:
    case grpc.status.INTERNAL:
    case grpc.status.UNAVAILABLE:
    case grpc.status.DATA_LOSS:
      return true;
    default:
      return false;
  }
}

function errorKindOf(metadata: grpc.Metadata | undefined): string | undefined {
  const raw = metadata?.get(ERROR_METADATA_KEY)[0];
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
    return typeof parsed === "object" && parsed !== null && "kind" in parsed
      ? String(parsed.kind)
      : undefined;
  } catch {
    return undefined;
  }
}

function traceCarrier(metadata: grpc.Metadata): Record<string, string> {
  const carrier: Record<string, string> = {};
  for (const key of ["traceparent", "tracestate", "baggage"]) {
    const value = metadata.get(key)[0];
    if (typeof value === "string") carrier[key] = value;
  }
  return carrier;
}
