import {
  type ConsumerHandle,
  type ConsumerObserver,
  type ConsumerOutcome,
  startWorkQueueConsumer,
} from "@strata/bus";
import { isRetryable } from "@strata/errors";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import type { BatchPorts } from "../../modules/batches/ports.js";
import { processBatchChunk } from "../../modules/batches/process-chunk.js";
import { decodeChunkRef } from "./batch-work-queue.js";
import { BATCH_WORK_STREAM, BATCH_WORK_SUBJECT_ROOT } from "./work-stream.js";

/** Its dead letters go to `strata.dlq.namespace_batch_worker`, like every consumer's. */
export const BATCH_WORKER_DURABLE = "namespace_batch_worker";

export interface BatchWorkerOptions {
  readonly nc: NatsConnection;
  readonly ports: BatchPorts;
  readonly logger: Logger;
  /** The process's metrics: this durable's backlog and dead letters. */
  readonly observer?: ConsumerObserver;
  /** The process's metrics: documents written and the time each chunk took. */
  readonly chunks?: {
    chunkWritten(documents: { succeeded: number; failed: number }, seconds: number): void;
  };
  /** Told how many documents each written chunk held (a full collection once a large ingest goes quiet). */
  readonly memory?: { noteWork(documents: number): void };
  /** How soon a chunk held by a crashed replica is delivered again; default 30 s (heartbeats cover slow chunks). */
  readonly ackWaitMs?: number;
  /** Attempts before a chunk is given up (its items fail) and dead-lettered; default 5. */
  readonly maxDeliver?: number;
}

/**
 * Chunks written at once (ADR 0035): with one, the event loop idles through each chunk's fsync. A
 * read of a document whose chunk committed waits for the vectors its record names
 * (`DocumentVectors.settled`), so a batch that reads as completed reads with every vector.
 */
export const CHUNKS_IN_FLIGHT = 3;

/**
 * Writes batch chunks, a few at a time, on the work-queue face of the bus's consumer engine. Ack
 * only after the chunk's transaction committed; retry with a growing delay on an infrastructure
 * failure; when the chunk is given up its items are recorded as failed first (so the batch still
 * finishes), then it is dead-lettered.
 */
export function startBatchWorker(options: BatchWorkerOptions): Promise<ConsumerHandle> {
  const { logger, ports } = options;
  return startWorkQueueConsumer({
    nc: options.nc,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    logger,
    durable: BATCH_WORKER_DURABLE,
    stream: BATCH_WORK_STREAM,
    filterSubject: `${BATCH_WORK_SUBJECT_ROOT}.>`,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    concurrency: CHUNKS_IN_FLIGHT,
    maxDeliver: options.maxDeliver ?? 5,
    // Retries of a chunk whose store was unavailable (or that threw).
    retryBackoff: { initialMs: 500, maxMs: 30_000 },
    decode: decodeChunkRef,
    handler: async (ref, { attempt }): Promise<ConsumerOutcome> => {
      const startedAt = performance.now();
      const result = await processBatchChunk(ports, ref.batchId, ref.chunk);
      if (result.ok) {
        if (result.value.kind === "processed") {
          const { succeeded, failed } = result.value;
          options.chunks?.chunkWritten({ succeeded, failed }, (performance.now() - startedAt) / 1000);
          options.memory?.noteWork(succeeded + failed);
        }
        return { action: "ack" };
      }
      logger.warn(
        { batch_id: ref.batchId, chunk: ref.chunk, attempt, reason: result.error.message },
        "batch chunk retried",
      );
      // Not retryable: a bug or a broken store; a few slow attempts, then its items fail.
      return isRetryable(result.error.kind) ? { action: "retry" } : { action: "retry", delayMs: 5_000 };
    },
    beforeDeadLetter: (ref, reason) =>
      processBatchChunk(ports, ref.batchId, ref.chunk, { giveUp: `batch chunk not written: ${reason}` }),
  });
}
