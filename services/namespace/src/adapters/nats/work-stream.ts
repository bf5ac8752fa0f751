import { ensureWorkQueueStream } from "@strata/bus";
import type { NatsConnection } from "@strata/service-kit";

/** Batch chunks waiting to be written; a chunk leaves the stream when a worker acks it. */
export const BATCH_WORK_STREAM = "STRATA_WORK_BATCHES";
export const BATCH_WORK_SUBJECT_ROOT = "strata.work.batch";

/** Creates the work-queue stream, or converges a live one on these settings. */
export function ensureBatchWorkStream(nc: NatsConnection): Promise<void> {
  return ensureWorkQueueStream(nc, { name: BATCH_WORK_STREAM, subjects: [`${BATCH_WORK_SUBJECT_ROOT}.>`] });
}
