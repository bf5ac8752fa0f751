import type { DocStore } from "@strata/docstore";
import { EVENTS_STREAM } from "@strata/events";
import { millis, type NatsConnection } from "nats";
import { type BusLogger, describeError } from "./bus-logger.js";
import { pruneInbox } from "./inbox.js";

export interface InboxPrunerOptions {
  readonly store: DocStore;
  readonly logger: BusLogger;
  /**
   * How long a row must be kept, asked before each run; undefined skips the run. A row protects
   * against a redelivery, and an event is only redelivered while it is on the stream, so the
   * services give the event stream's max age (`eventStreamMaxAgeMs`).
   */
  readonly retentionMs: () => Promise<number | undefined>;
  /** Between two runs; default one hour. The first run is one interval after the start. */
  readonly intervalMs?: number;
}

export interface InboxPruner {
  /** Prunes now (also what the timer calls); answers the rows removed. */
  runOnce(): Promise<number>;
  /** No more runs; waits for one in progress. */
  stop(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Deletes inbox rows that can no longer stop a duplicate, on a timer: without it the inbox table
 * grows with every event a service ever consumed. A failed run is logged and tried again at the
 * next interval; pruning is housekeeping, never a reason to stop the service.
 */
export function startInboxPruner(options: InboxPrunerOptions): InboxPruner {
  const { store, logger } = options;
  let running: Promise<number> | undefined;
  let stopped = false;
  const run = async (): Promise<number> => {
    const retention = await options.retentionMs();
    if (retention === undefined) return 0;
    const removed = await pruneInbox(store, retention);
    if (removed > 0) logger.info({ removed, retention_ms: retention }, "pruned the event inbox");
    return removed;
  };
  const runOnce = (): Promise<number> => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    runOnce().catch((error: unknown) =>
      logger.warn(describeError(error), "inbox pruning failed; next run later"),
    );
  }, options.intervalMs ?? HOUR_MS);
  // Housekeeping must not keep a process alive on its own.
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * The event stream's max age in milliseconds, read from the server (the operator may have set it):
 * undefined when the stream keeps events forever, since then no inbox row is ever safe to drop.
 */
export async function eventStreamMaxAgeMs(nc: NatsConnection): Promise<number | undefined> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(EVENTS_STREAM);
  return info.config.max_age > 0 ? millis(info.config.max_age) : undefined;
}
