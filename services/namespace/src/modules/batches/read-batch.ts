import type { Caller } from "@strata/access";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { chunkRefs } from "./create-batch.js";
import type { BatchChunkRef, BatchPorts } from "./ports.js";
import {
  BATCH_CHUNKS_TABLE,
  BATCHES_TABLE,
  type BatchChunkRecord,
  type BatchItemError,
  type BatchRecord,
} from "./tables.js";

export interface BatchView {
  readonly batch: BatchRecord;
  /** Item errors of the chunks processed so far, in index order. */
  readonly errors: readonly BatchItemError[];
}

/** A batch of the caller's namespace with its item errors; another namespace's batch is not found. */
export async function getBatch(
  ports: BatchPorts,
  caller: Caller,
  namespaceId: string,
  batchId: string,
): Promise<Result<BatchView, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const found = await ports.store.table<BatchRecord>(BATCHES_TABLE).get(batchId);
  // An end user sees its own batches only (their items are its documents); another's answers as a
  // missing one (ADR 0018). Org keys acting for nobody see every batch of the namespace.
  const othersBatch =
    caller.principalId !== undefined && found?.record.caller.principalId !== caller.principalId;
  if (found === undefined || found.record.namespace_id !== namespace.value.id || othersBatch) {
    return err(notFound("batch", batchId));
  }
  const chunks = await ports.store.table<BatchChunkRecord>(BATCH_CHUNKS_TABLE).find({
    where: { batch_id: batchId, done: true },
    orderBy: [{ field: "chunk", direction: "asc" }],
  });
  return ok({ batch: found.record, errors: chunks.flatMap((c) => c.record.errors) });
}

/**
 * The chunks of unfinished batches that are not done yet: what a start-up sweep puts back on the
 * work queue, in case the process died between a batch's commit and its enqueue.
 */
export async function unfinishedChunks(ports: BatchPorts): Promise<BatchChunkRef[]> {
  const batches = await ports.store.table<BatchRecord>(BATCHES_TABLE).find({
    where: { status: { $in: ["pending", "processing"] } },
  });
  const refs: BatchChunkRef[] = [];
  for (const { record } of batches) {
    const done = await ports.store
      .table<BatchChunkRecord>(BATCH_CHUNKS_TABLE)
      .find({ where: { batch_id: record.id, done: true } });
    refs.push(...chunkRefs(record, new Set(done.map((c) => c.record.chunk))));
  }
  return refs;
}
