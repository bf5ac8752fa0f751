import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  type SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";

const DEFAULT_TRACER = "strata";

export function tracer(name: string = DEFAULT_TRACER): Tracer {
  return trace.getTracer(name);
}

/** Writes the active context (`traceparent`, `tracestate`, `baggage`) into a header-like carrier. */
export function injectTraceContext(carrier: Record<string, string>, from: Context = context.active()): void {
  propagation.inject(from, carrier);
}

export type TraceCarrier = Record<string, string | string[] | undefined>;

// Header names are case-insensitive on HTTP; gRPC metadata and NATS headers are lower-case already.
const carrierGetter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const direct = carrier[key];
    if (direct !== undefined) return direct;
    const lower = key.toLowerCase();
    for (const [name, value] of Object.entries(carrier)) {
      if (name.toLowerCase() === lower) return value;
    }
    return undefined;
  },
};

/** The context a remote parent sent (or the active context unchanged when the carrier has none). */
export function extractTraceContext(carrier: TraceCarrier, into: Context = context.active()): Context {
  return propagation.extract(into, carrier, carrierGetter);
}

export interface WithSpanOptions {
  readonly kind: SpanKind;
  readonly attributes?: Attributes;
  /** Parent context, e.g. from extractTraceContext; defaults to the active context. */
  readonly parent?: Context;
  readonly tracerName?: string;
}

/**
 * Runs `fn` inside a new active span and ends it. A throw (or rejection) is recorded on the span,
 * sets its status to ERROR, and is rethrown. Expected failures returned as values are not span
 * errors; callers that want them marked call `span.setStatus` themselves.
 */
export async function withSpan<T>(
  name: string,
  options: WithSpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer(options.tracerName).startSpan(
    name,
    { kind: options.kind, ...(options.attributes ? { attributes: options.attributes } : {}) },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error: unknown) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}

export function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.recordException(String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}

/** The active trace id, for log correlation; undefined outside a sampled or valid span. */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return spanContext.traceId;
}
