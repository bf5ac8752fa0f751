import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import { type AppError, err, ok, type Result } from "@strata/errors";
import { batchFinishedEvent } from "./batch-events.js";
import type { BatchPorts } from "./ports.js";
import { BATCHES_TABLE, type BatchRecord, isFinalStatus } from "./tables.js";

/**
 * Ends a batch whose namespace was deleted before all its chunks ran. The items not yet written
 * count as failed, and batch.completed (some were written) or batch.failed (none were) is appended
 * in the same transaction, so this batch too publishes exactly one of them. A chunk delivered
 * afterwards finds a finished batch and does nothing. Answers whether this call closed it.
 */
export async function closeUnfinishedBatch(
  ports: Pick<BatchPorts, "store" | "appendEvent" | "eventsCommitted" | "clock">,
  batchId: string,
): Promise<Result<boolean, AppError>> {
  const closed = await retryOnConflict(() =>
    ports.store.transaction<boolean, AppError | Conflict>(async (tx) => {
      const batches = tx.table<BatchRecord>(BATCHES_TABLE);
      const found = await batches.get(batchId);
      if (found === undefined || isFinalStatus(found.record.status)) return ok(false);
      const { record, version } = found;
      const now = ports.clock();
      const ended: BatchRecord = {
        ...record,
        status: record.succeeded === 0 ? "failed" : "completed",
        failed: record.total - record.succeeded,
        chunks_done: record.chunk_count,
        updated_at: now.toISOString(),
      };
      const replaced = await batches.replace(ended, version);
      if (!replaced.ok) return err(CONFLICT);
      await ports.appendEvent(tx, batchFinishedEvent(ended, now));
      return ok(true);
    }),
  );
  if (closed.ok && closed.value) ports.eventsCommitted();
  return closed;
}
