import { groupCommit } from "@strata/batching";
import { type ConsumerHandle, type ConsumerObserver, startAllEventsConsumer } from "@strata/bus";
import type { AnyEventEnvelope } from "@strata/events";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import { fanOut } from "../domain/fan-out.js";
import type { DueQueue, WebhookPorts } from "../domain/ports.js";

/** Shared by every dispatcher replica: each event is fanned out by one of them. */
export const FAN_OUT_DURABLE = "webhook_dispatcher_fan_out";
/** Events handled at once; those in hand together share one transaction (group commit). */
const FAN_OUT_CONCURRENCY = 64;

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
  // One transaction and one pipelined round of publishes for every event in hand.
  const fanOutBatch = groupCommit(async (events: readonly AnyEventEnvelope[]) => {
    const perEvent = await fanOut(options.ports, events);
    const due = perEvent.flat();
    if (due.length > 0) {
      await options.queue.enqueue(due).catch((error: unknown) => {
        options.logger.warn({ err: error, attempts: due.length }, "enqueue failed; the scheduler retries");
      });
    }
    return perEvent;
  }, FAN_OUT_CONCURRENCY);
  return startAllEventsConsumer({
    nc: options.nc,
    durable: FAN_OUT_DURABLE,
    startAt: "new",
    logger: options.logger,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    // Order across events does not matter to webhooks (receivers order by time); throughput does.
    concurrency: FAN_OUT_CONCURRENCY,
    // Buffered messages get no heartbeats: pull no more than are handled at once.
    prefetch: FAN_OUT_CONCURRENCY,
    maxDeliver: 20,
    ackWaitMs: options.ackWaitMs,
    handler: async (event) => {
      await fanOutBatch(event);
      return { action: "ack" };
    },
  });
}
