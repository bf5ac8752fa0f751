import { type Context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { AnyEventEnvelope } from "@strata/events";

const tracer = trace.getTracer("@strata/bus");

/**
 * Runs `work` in a consumer span whose parent is the producer's context from the message headers,
 * so a handler's own spans and outgoing calls join the trace that emitted the event.
 */
export function inConsumerSpan<T>(
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
