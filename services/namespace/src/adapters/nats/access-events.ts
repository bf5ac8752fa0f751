import { type EventEnvelope, subjectOf } from "@strata/events";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";

/**
 * Publishes document.accessed events straight to JetStream (not through the outbox: they record
 * no change of the store, and losing a window costs only some precision in tiering decisions).
 */
export function publishAccessEvents(
  nc: NatsConnection,
  logger: Logger,
): (events: readonly EventEnvelope<"document.accessed">[]) => Promise<void> {
  const js = nc.jetstream();
  const encoder = new TextEncoder();
  return async (events) => {
    for (const event of events) {
      try {
        await js.publish(subjectOf(event), encoder.encode(JSON.stringify(event)), { msgID: event.id });
      } catch (e: unknown) {
        logger.warn({ err: e, documents: event.data.accesses.length }, "publishing document.accessed failed");
      }
    }
  };
}
