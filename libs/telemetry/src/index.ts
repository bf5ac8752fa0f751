export type {
  Attributes,
  Context,
  Span,
  Tracer,
} from "@opentelemetry/api";
export { SpanKind, SpanStatusCode } from "@opentelemetry/api";
export type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-node";
// Re-exported for tests of code that makes spans (no direct SDK dependency needed there).
export { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
export type { TraceCarrier, WithSpanOptions } from "./spans.js";
export {
  currentTraceId,
  extractTraceContext,
  injectTraceContext,
  recordError,
  tracer,
  withSpan,
} from "./spans.js";
export type { Telemetry, TelemetryOptions } from "./telemetry.js";
export { initTelemetry } from "./telemetry.js";
