import { ok } from "@strata/errors";
import { drain } from "../../shared/drain.js";
import type { PurgeStep } from "../../shared/purge-step.js";
import { closeUnfinishedBatch } from "./close-batch.js";
import type { BatchPorts } from "./ports.js";
import { BATCH_CHUNK_ITEMS_TABLE, BATCH_CHUNKS_TABLE, BATCHES_TABLE, type BatchRecord } from "./tables.js";

/** A deleted namespace's batches with their chunks; a batch still running ends first. */
export function purgeBatches(ports: BatchPorts): PurgeStep {
  return async (namespaceId) => {
    const batches = await drain<BatchRecord>(
      ports.store,
      BATCHES_TABLE,
      { namespace_id: namespaceId },
      async (record) => {
        // A batch still running ends now, with its batch.completed/failed event, before it goes.
        const closed = await closeUnfinishedBatch(ports, record.id);
        if (!closed.ok) return closed;
        // Chunks first: a batch record without chunks is harmless, chunks without a batch are not found.
        await ports.store.table(BATCH_CHUNK_ITEMS_TABLE).deleteMany({ batch_id: record.id });
        await ports.store.table(BATCH_CHUNKS_TABLE).deleteMany({ batch_id: record.id });
        await ports.store.table(BATCHES_TABLE).delete(record.id);
        return ok(undefined);
      },
    );
    return batches.ok ? ok({ batches: batches.value }) : batches;
  };
}
