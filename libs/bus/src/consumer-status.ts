import { ConsumerEvents, type ConsumerMessages } from "nats";
import type { BusLogger } from "./bus-logger.js";

const NOTEWORTHY = new Set<string>(Object.values(ConsumerEvents));

/**
 * Logs what the client notices about a consumer (missed heartbeats, a vanished consumer or
 * stream). The client recovers by itself; the log tells an operator why events paused.
 */
export function logConsumerStatus(messages: ConsumerMessages, logger: BusLogger, consumer: string): void {
  void (async () => {
    for await (const status of await messages.status()) {
      if (!NOTEWORTHY.has(status.type)) continue;
      logger.warn({ consumer, status: status.type, data: status.data }, "event consumer status");
    }
  })().catch(() => {
    // The status stream ends with the consumer; nothing to report.
  });
}
