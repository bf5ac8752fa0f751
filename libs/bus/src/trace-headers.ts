import {
  type Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from "@opentelemetry/api";
import type { MsgHdrs } from "nats";

/** W3C trace-context fields as they travel in NATS headers. */
export interface TraceFields {
  traceparent?: string;
  tracestate?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The active context's trace fields. The global propagator (registered by @strata/telemetry) does
 * the work when present; the built-in W3C encoding covers a process where none is registered, so
 * the header never silently disappears.
 */
export function captureTraceFields(ctx: Context = context.active()): TraceFields {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const fields: TraceFields = {};
  if (carrier.traceparent !== undefined) fields.traceparent = carrier.traceparent;
  if (carrier.tracestate !== undefined) fields.tracestate = carrier.tracestate;
  if (fields.traceparent === undefined) {
    const spanContext = trace.getSpanContext(ctx);
    if (spanContext !== undefined && isSpanContextValid(spanContext)) {
      fields.traceparent = formatTraceparent(spanContext);
    }
  }
  return fields;
}

export function formatTraceparent(sc: SpanContext): string {
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}

/** A context holding the message's remote parent span (or the root context when it carries none). */
export function contextFromHeaders(headers: MsgHdrs | undefined): Context {
  if (headers === undefined) return ROOT_CONTEXT;
  const carrier: Record<string, string> = {};
  for (const key of headers.keys()) carrier[key.toLowerCase()] = headers.get(key);
  // Start from the root: the consumer loop's own context must not leak into the handler.
  const ctx = propagation.extract(ROOT_CONTEXT, carrier);
  if (trace.getSpanContext(ctx) !== undefined) return ctx;
  const match = TRACEPARENT.exec(carrier.traceparent ?? "");
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) return ctx;
  const spanContext: SpanContext = {
    traceId: match[1],
    spanId: match[2],
    traceFlags: Number.parseInt(match[3], 16),
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(ctx, spanContext) : ctx;
}
