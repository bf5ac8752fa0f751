import { type AppError, ok, type Result } from "@strata/errors";
import {
  type ConsumerHandle,
  type ConsumerOutcome,
  type ConsumerSettings,
  type Delivery,
  startConsumerEngine,
} from "./consumer-engine.js";

export interface WorkQueueConsumerOptions<T> extends ConsumerSettings {
  /** A work-queue stream (see ensureWorkQueueStream), e.g. `STRATA_WORK_BATCHES`. */
  readonly stream: string;
  /** Default: every subject of the stream. */
  readonly filterSubject?: string;
  /** The work item in a message, or undefined if it is none (it is then dead-lettered). */
  readonly decode: (data: Uint8Array) => T | undefined;
  readonly handler: (item: T, delivery: Delivery) => Promise<ConsumerOutcome>;
  /**
   * Records that the item is given up (e.g. marks a batch chunk's items failed) before it is
   * dead-lettered, whatever the reason: attempts used up, a "dead" outcome, a hung last attempt.
   * An error keeps the message and this is tried again.
   */
  readonly beforeDeadLetter?: (item: T, reason: string) => Promise<Result<unknown, AppError>>;
}

/**
 * The work-queue face of the consumer engine: each message is one item of work, taken by one
 * replica and gone from the stream once acked. By default it pulls only as many messages as it
 * handles at once, so every message in hand is heartbeated and a short ack wait is safe.
 */
export function startWorkQueueConsumer<T>(options: WorkQueueConsumerOptions<T>): Promise<ConsumerHandle> {
  const { stream, filterSubject, decode, handler, beforeDeadLetter, ...settings } = options;
  return startConsumerEngine(settings, {
    stream,
    ...(filterSubject === undefined ? {} : { filterSubject }),
    startAt: "all",
    defaultPrefetch: Math.max(1, settings.concurrency ?? 1),
    handle: async (m, delivery) => {
      const item = decode(m.data);
      if (item === undefined) return { action: "dead", reason: "not a valid work item" };
      return handler(item, delivery);
    },
    ...(beforeDeadLetter === undefined
      ? {}
      : {
          beforeDeadLetter: async (m, reason) => {
            const item = decode(m.data);
            // An undecodable message has no owner to tell.
            return item === undefined ? ok(undefined) : beforeDeadLetter(item, reason);
          },
        }),
  });
}
