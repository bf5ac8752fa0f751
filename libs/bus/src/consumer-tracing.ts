import {
  type Context,
  context,
  createContextKey,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import type { AnyEventEnvelope } from "@strata/events";
import type { JsMsg } from "nats";
import { contextFromHeaders } from "./trace-headers.js";

const tracer = trace.getTracer("@strata/bus");

/** A context no one else enters: entered, it is active only where a context manager carries it. */
const PROBE = ROOT_CONTEXT.setValue(createContextKey("@strata/bus context probe"), true);

/**
 * Whether a context manager is installed, so that a context entered reaches the code run in it.
 * Without one (tracing off: @strata/telemetry installs none when spans have nowhere to go) neither
 * the producer's context nor a consumer span can reach the handler, so reading the message's
 * headers for them is wasted: 2.7 KB of the 13.6 KB one delivery allocated (docs/benchmarks.md).
 */
function contextCarries(): boolean {
  return context.with(PROBE, isProbeActive);
}

function isProbeActive(): boolean {
  return context.active() === PROBE;
}

/**
 * Runs an event consumer's handler for `m`: in a consumer span whose parent is the producer's
 * context from the headers where a context manager is installed, else directly.
 */
export function handleEvent<T>(
  m: JsMsg,
  event: AnyEventEnvelope,
  consumer: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!contextCarries()) return work();
  return inConsumerSpan(contextFromHeaders(m.headers), event, m.subject, consumer, work);
}

/**
 * Runs `work` in a consumer span whose parent is the producer's context from the message headers,
 * so a handler's own spans and outgoing calls join the trace that emitted the event.
 */
function inConsumerSpan<T>(
  parent: Context,
  event: AnyEventEnvelope,
  subject: string,
  consumer: string,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `${event.type} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.system": "nats",
        "messaging.operation.type": "process",
        "messaging.destination.name": subject,
        "messaging.consumer.group.name": consumer,
        "messaging.message.id": event.id,
      },
    },
    parent,
    async (span) => {
      try {
        return await work();
      } catch (e) {
        span.recordException(e instanceof Error ? e : String(e));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw e;
      } finally {
        span.end();
      }
    },
  );
}
