import { context, propagation, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

export interface TelemetryOptions {
  readonly serviceName: string;
  /**
   * OTLP/HTTP endpoint: a base URL ("http://collector:4318", to which /v1/traces is added, as with
   * OTEL_EXPORTER_OTLP_ENDPOINT) or a full traces URL. Spans leave the process only when set.
   */
  readonly otlpEndpoint?: string;
  /** An extra exporter fed synchronously (tests pass an InMemorySpanExporter). */
  readonly exporter?: SpanExporter;
}

export interface Telemetry {
  /** The service name the process-wide provider was registered with (the first caller's). */
  readonly serviceName: string;
  /** False when no exporter was configured: then nothing is traced at all. */
  readonly enabled: boolean;
  /** Flushes pending spans and unregisters the provider; later initTelemetry calls start afresh. */
  shutdown(): Promise<void>;
}

// The OpenTelemetry API itself keeps one global provider per process; this mirrors that, so the
// embedded mode (every service in one process) registers once instead of fighting over the global.
let active: Telemetry | undefined;

/**
 * Registers a NodeTracerProvider globally, with the AsyncLocalStorage context manager and the W3C
 * trace-context (+ baggage) propagator, when `otlpEndpoint` or `exporter` is given; without either,
 * tracing stays off (no provider, no context manager, no propagation). A second call in the same process is a no-op returning the first handle: the first
 * service name wins, and in embedded mode spans tell services apart by their span names
 * (`<service>/<method>`) rather than by the resource.
 */
export function initTelemetry(options: TelemetryOptions): Telemetry {
  if (active) return active;

  const spanProcessors: SpanProcessor[] = [];
  if (options.otlpEndpoint !== undefined) {
    spanProcessors.push(
      new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.otlpEndpoint) })),
    );
  }
  if (options.exporter !== undefined) {
    spanProcessors.push(new SimpleSpanProcessor(options.exporter));
  }
  if (spanProcessors.length === 0) {
    // With nowhere to send spans, tracing stays off: the OpenTelemetry API's no-op tracer and no
    // context manager. On Node 20 the AsyncLocalStorage context manager hooks every promise, which
    // halved the gateway's throughput (docs/benchmarks.md) for traces nobody could read.
    const disabled: Telemetry = {
      serviceName: options.serviceName,
      enabled: false,
      async shutdown(): Promise<void> {
        if (active === disabled) active = undefined;
      },
    };
    active = disabled;
    return disabled;
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors,
  });
  provider.register();

  const handle: Telemetry = {
    serviceName: options.serviceName,
    enabled: true,
    async shutdown(): Promise<void> {
      if (active !== handle) return;
      active = undefined;
      await provider.shutdown();
      // All three globals go, so a later initTelemetry can register again (tests do).
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  active = handle;
  return handle;
}

function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/v1/traces";
  return url.href;
}
