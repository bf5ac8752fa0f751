import { groupCommit } from "@strata/batching";
import { type ConsumerHandle, type ConsumerObserver, startAllEventsConsumer } from "@strata/bus";
import { type AnyEventEnvelope, isInternalEventType } from "@strata/events";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import { type FannedOutAttempt, fanOut } from "../domain/fan-out.js";
import type { DueAttempt, DueQueue, WebhookPorts } from "../domain/ports.js";
import type { AttemptRunner } from "../domain/run-attempt.js";
import type { SendWindow } from "../domain/send-window.js";

/** Shared by every dispatcher replica: each event is fanned out by one of them. */
export const FAN_OUT_DURABLE = "webhook_dispatcher_fan_out";
/** Events handled at once; those in hand together share one transaction (group commit). */
const FAN_OUT_CONCURRENCY = 64;

/**
 * Every event → a delivery per subscribed webhook, recorded before the event is acked. The insert
 * takes the first attempt, and this replica sends it at once (within its send window); an attempt
 * whose endpoint is too busy, or that waited past its start deadline, goes onto the work queue
 * instead, as do a rate-limited webhook's. An attempt lost to a crash is not lost work: its take
 * runs out and the scheduler enqueues it.
 */
export function startEventFanOut(options: {
  readonly nc: NatsConnection;
  readonly ports: WebhookPorts;
  readonly queue: DueQueue;
  readonly runner: AttemptRunner;
  readonly window: SendWindow;
  readonly logger: Logger;
  readonly observer?: ConsumerObserver;
  readonly ackWaitMs: number;
}): Promise<ConsumerHandle> {
  const { queue, runner, window, logger } = options;
  const enqueue = async (due: readonly DueAttempt[]) => {
    if (due.length === 0) return;
    await queue.enqueue(due).catch((error: unknown) => {
      logger.warn({ err: error, attempts: due.length }, "enqueue failed; the scheduler retries");
    });
  };
  // Sends in flight: a stop waits for them, so that their outcomes are written before the store closes.
  const sending = new Set<Promise<void>>();
  const sendFromHere = (attempt: FannedOutAttempt) => {
    const { taken } = attempt;
    if (taken === undefined) return;
    const leave = window.enter();
    const running: Promise<void> = runner
      .runTaken(taken)
      .then((result) => (result === "sent" ? undefined : enqueue([attempt])))
      .catch((error: unknown) => {
        // Sent or not, its outcome is unknown: the take runs out and the scheduler tries again.
        logger.warn({ err: error, delivery: attempt.deliveryId }, "first attempt failed to record");
      })
      .finally(() => {
        leave();
        sending.delete(running);
      });
    sending.add(running);
  };
  // One transaction for every event in hand; the attempts it could not take go in one round of publishes.
  const fanOutBatch = groupCommit(async (events: readonly AnyEventEnvelope[]) => {
    const perEvent = await fanOut(options.ports, events);
    const attempts = perEvent.flat();
    await enqueue(attempts.filter((a) => a.taken === undefined));
    for (const attempt of attempts) sendFromHere(attempt);
    return perEvent;
  }, FAN_OUT_CONCURRENCY);
  const consumer = startAllEventsConsumer({
    nc: options.nc,
    durable: FAN_OUT_DURABLE,
    startAt: "new",
    logger,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    // document.accessed and any other internal type: acknowledged unread.
    ignores: isInternalEventType,
    // Order across events does not matter to webhooks (receivers order by time); throughput does.
    concurrency: FAN_OUT_CONCURRENCY,
    // Buffered messages get no heartbeats: pull no more than are handled at once.
    prefetch: FAN_OUT_CONCURRENCY,
    maxDeliver: 20,
    ackWaitMs: options.ackWaitMs,
    handler: async (event) => {
      // No more events while the attempts already in hand fill the window.
      const leave = await window.room();
      try {
        await fanOutBatch(event);
      } finally {
        // Its attempts entered the window in the fan-out: the event's place is theirs now.
        leave();
      }
      return { action: "ack" };
    },
  });
  return consumer.then((handle) => ({
    async stop() {
      await handle.stop();
      await Promise.allSettled([...sending]);
    },
  }));
}
