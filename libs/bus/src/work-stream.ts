import { DiscardPolicy, type NatsConnection, nanos, RetentionPolicy, StorageType } from "nats";
import { ensureStream } from "./streams.js";

export interface WorkQueueStreamOptions {
  /** E.g. `STRATA_WORK_BATCHES`. */
  readonly name: string;
  /** E.g. `["strata.work.batch.>"]`; must not overlap another stream's subjects. */
  readonly subjects: readonly string[];
  /** Re-publishes of the same msg id inside this window are dropped; default 2 minutes. */
  readonly duplicateWindowMs?: number;
  /** Stream replicas in a NATS cluster; left as they are on a live stream unless given; default 1. */
  readonly replicas?: number;
}

/**
 * Creates a work-queue stream (a message is gone once a worker acks it, so the stream holds only
 * pending work) or converges a live one on these settings: subjects and duplicate window are
 * updated, replicas only when asked for. Replicas starting together may race; the loser updates.
 */
export async function ensureWorkQueueStream(
  nc: NatsConnection,
  options: WorkQueueStreamOptions,
): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await ensureStream(
    jsm,
    // A work queue holds pending work, not history: it never expires messages by age.
    { max_age: true, duplicate_window: true, num_replicas: options.replicas !== undefined },
    {
      name: options.name,
      subjects: [...options.subjects],
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      discard: DiscardPolicy.Old,
      max_age: 0,
      duplicate_window: nanos(options.duplicateWindowMs ?? 2 * 60 * 1000),
      num_replicas: options.replicas ?? 1,
    },
  );
}
