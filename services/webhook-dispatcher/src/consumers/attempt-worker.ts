import { type ConsumerHandle, type ConsumerObserver, startWorkQueueConsumer } from "@strata/bus";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import { decodeDueAttempt, WEBHOOK_WORK_STREAM } from "../adapters/nats/due-queue.js";
import type { AttemptRunner } from "../domain/run-attempt.js";

export const ATTEMPT_WORKER_DURABLE = "webhook_dispatcher_attempts";
/** How long an attempt to a busy endpoint waits on the queue before it is offered again. */
const BUSY_DELAY_MS = 100;

/**
 * Takes due attempts off the work queue and sends them. Retries never go back to JetStream: the
 * outcome (and the next due time) is in the store, so every item is acked once handled.
 */
export function startAttemptWorker(options: {
  readonly nc: NatsConnection;
  readonly runner: AttemptRunner;
  readonly concurrency: number;
  readonly logger: Logger;
  readonly observer?: ConsumerObserver;
  readonly ackWaitMs: number;
}): Promise<ConsumerHandle> {
  return startWorkQueueConsumer({
    nc: options.nc,
    stream: WEBHOOK_WORK_STREAM,
    durable: ATTEMPT_WORKER_DURABLE,
    logger: options.logger,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    concurrency: options.concurrency,
    ackWaitMs: options.ackWaitMs,
    // Deliveries to a busy endpoint are put back (above) and count here: room for many rounds.
    maxDeliver: 1000,
    retryBackoff: { initialMs: 100, maxMs: 5_000 },
    decode: decodeDueAttempt,
    handler: async (due) => {
      const result = await options.runner.runDue(due);
      return result === "deferred" ? { action: "retry", delayMs: BUSY_DELAY_MS } : { action: "ack" };
    },
  });
}
