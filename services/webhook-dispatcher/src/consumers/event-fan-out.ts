import { type ConsumerHandle, type ConsumerObserver, startAllEventsConsumer } from "@strata/bus";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import { fanOut } from "../domain/fan-out.js";
import type { DueQueue, WebhookPorts } from "../domain/ports.js";

/** Shared by every dispatcher replica: each event is fanned out by one of them. */
export const FAN_OUT_DURABLE = "webhook_dispatcher_fan_out";

/**
 * Every event → a delivery per subscribed webhook, recorded before the event is acked; their
 * first attempts go straight onto the work queue. An enqueue lost to a crash is not lost work:
 * the claim runs out and the scheduler enqueues it.
 */
export function startEventFanOut(options: {
  readonly nc: NatsConnection;
  readonly ports: WebhookPorts;
  readonly queue: DueQueue;
  readonly logger: Logger;
  readonly observer?: ConsumerObserver;
  readonly ackWaitMs: number;
}): Promise<ConsumerHandle> {
  return startAllEventsConsumer({
    nc: options.nc,
    durable: FAN_OUT_DURABLE,
    startAt: "new",
    logger: options.logger,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    // Order across events does not matter to webhooks (receivers order by time); throughput does.
    concurrency: 8,
    // Buffered messages get no heartbeats: pull no more than are handled at once.
    prefetch: 8,
    maxDeliver: 20,
    ackWaitMs: options.ackWaitMs,
    handler: async (event) => {
      const due = await fanOut(options.ports, event);
      if (due.length > 0) {
        await options.queue.enqueue(due).catch((error: unknown) => {
          options.logger.warn({ err: error, event_id: event.id }, "enqueue failed; the scheduler retries");
        });
      }
      return { action: "ack" };
    },
  });
}
