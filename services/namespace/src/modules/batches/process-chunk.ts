import type { Versioned } from "@strata/docstore";
import {
  type AppError,
  alreadyExists,
  err,
  errorTypeOf,
  isRetryable,
  ok,
  type Result,
  unavailable,
} from "@strata/errors";
import {
  type InsertedDocument,
  insertDocument,
  type PlanSession,
  planDocument,
  resolveDocumentScope,
  type WritePlan,
  writeWithStagedVectors,
} from "../documents/api.js";
import { DOCUMENTS_TABLE, documentKey } from "../documents/tables.js";
import { batchFinishedEvent } from "./batch-events.js";
import { unpackFloat32 } from "./packed-vectors.js";
import type { BatchPorts } from "./ports.js";
import {
  BATCH_CHUNK_ITEMS_TABLE,
  BATCH_CHUNKS_TABLE,
  BATCHES_TABLE,
  type BatchChunkItemsRecord,
  type BatchChunkRecord,
  type BatchItem,
  type BatchItemError,
  type BatchRecord,
  type BatchStatus,
  chunkKey,
  isFinalStatus,
  itemDocumentId,
} from "./tables.js";

export type ChunkOutcome =
  /** The chunk was written now; `finished` when it was the batch's last. */
  | {
      readonly kind: "processed";
      readonly succeeded: number;
      readonly failed: number;
      readonly finished: boolean;
    }
  /** A redelivery of a chunk already written (or of a batch that no longer exists): nothing to do. */
  | { readonly kind: "already_done" };

/**
 * Writes one chunk's documents, its item errors, the batch counters and — for the last chunk —
 * the final status and its batch.completed/failed event, all in one transaction. The chunk's
 * `done` flag and the batch's version (CAS) make a redelivered or concurrently running chunk a
 * no-op, so no document is written twice and no event is published twice. The documents' vectors
 * are staged before the transaction and committed after it (writeWithStagedVectors).
 *
 * `giveUp` records every item of the chunk as failed without trying it (the work queue dead-lettered
 * the chunk), so the batch still finishes.
 */
export async function processBatchChunk(
  ports: BatchPorts,
  batchId: string,
  chunk: number,
  options: { readonly giveUp?: string } = {},
): Promise<Result<ChunkOutcome, AppError>> {
  const now = ports.clock();
  const result = await writeWithStagedVectors<ChunkWork, ChunkOutcome>(ports, {
    plan: (session, writeId) => planChunk(ports, session, batchId, chunk, options, { now, writeId }),
    apply: async (tx, work) => {
      if (work === undefined) return ok({ value: { kind: "already_done" }, written: [] });
      const { stored, itemCount, errors, documents } = work;
      // Read here, not in the plan: the batch's other chunks move it as they finish.
      const batch = await tx.table<BatchRecord>(BATCHES_TABLE).get(batchId);
      if (batch === undefined || isFinalStatus(batch.record.status)) return err("retry");
      for (const doc of documents) {
        const inserted = await insertDocument(ports, tx, doc, now);
        // Taken since the plan (a store without one writer at a time): plan the chunk again.
        if (!inserted.ok) return err("retry");
      }
      const { record } = stored;
      const failed = errors.length;
      const succeeded = itemCount - failed;
      // A done chunk keeps its errors, not its items: the documents hold them now. The plan rests
      // on the chunk as it read it: a chunk changed since (done by a redelivery running beside
      // this one) is planned again.
      const { items: _legacyItems, ...progressOnly } = record;
      const chunkSaved = await tx
        .table<BatchChunkRecord>(BATCH_CHUNKS_TABLE)
        .replace({ ...progressOnly, done: true, errors }, stored.version);
      if (!chunkSaved.ok) return err("retry");
      await tx.table(BATCH_CHUNK_ITEMS_TABLE).delete(record.id);
      const progressed = progress(batch.record, succeeded, failed, now);
      const batchSaved = await tx.table<BatchRecord>(BATCHES_TABLE).replace(progressed, batch.version);
      if (!batchSaved.ok) return err(unavailable(`batch ${batchId} changed meanwhile; retry`));
      const finished = isFinalStatus(progressed.status);
      if (finished) await ports.appendEvent(tx, batchFinishedEvent(progressed, now));
      return ok({
        value: { kind: "processed", succeeded, failed, finished },
        written: documents.map((d) => d.record.document_id),
      });
    },
  });
  // Each written document appended a document.created event; the last chunk a batch event.
  if (result.ok && result.value.kind === "processed") ports.eventsCommitted();
  return result;
}

/** What a chunk writes; undefined when it is done already (or its batch is gone or final). */
type ChunkWork =
  | {
      readonly stored: Versioned<BatchChunkRecord>;
      readonly itemCount: number;
      readonly errors: readonly BatchItemError[];
      readonly documents: readonly InsertedDocument[];
    }
  | undefined;

/**
 * Reads the chunk and plans its documents (or, with `giveUp`, fails every item). The batch and the
 * chunk are read untracked: the batch's other chunks move the batch as they finish (the
 * transaction reads it again), and the transaction replaces the chunk by compare-and-set.
 */
async function planChunk(
  ports: BatchPorts,
  session: PlanSession,
  batchId: string,
  chunk: number,
  options: { readonly giveUp?: string },
  write: { readonly now: Date; readonly writeId: string },
): Promise<Result<WritePlan<ChunkWork>, AppError>> {
  const batch = await session.untracked.table<BatchRecord>(BATCHES_TABLE).get(batchId);
  const stored = await session.untracked
    .table<BatchChunkRecord>(BATCH_CHUNKS_TABLE)
    .get(chunkKey(batchId, chunk));
  if (batch === undefined || stored === undefined || stored.record.done || isFinalStatus(batch.record.status))
    return ok({ work: undefined, documents: [] });
  const kept = await session.untracked
    .table<BatchChunkItemsRecord>(BATCH_CHUNK_ITEMS_TABLE)
    .get(stored.record.id);
  const items = kept?.record.items ?? stored.record.items ?? [];
  if (options.giveUp !== undefined) {
    const errors = items.map((_, i) => ({
      index: stored.record.first_index + i,
      error: { type: errorTypeOf("internal"), message: options.giveUp ?? "" },
    }));
    return ok({ work: { stored, itemCount: items.length, errors, documents: [] }, documents: [] });
  }
  const planned = await planItems(ports, session, batch.record, stored.record.first_index, items, write);
  if (!planned.ok) return planned;
  const { errors, documents } = planned.value;
  return ok({ work: { stored, itemCount: items.length, errors, documents }, documents });
}

async function planItems(
  ports: BatchPorts,
  session: PlanSession,
  batch: BatchRecord,
  firstIndex: number,
  items: readonly BatchItem[],
  write: { readonly now: Date; readonly writeId: string },
): Promise<Result<{ errors: BatchItemError[]; documents: InsertedDocument[] }, AppError>> {
  const errors: BatchItemError[] = [];
  const documents: InsertedDocument[] = [];
  // Once per chunk, not per item: every item writes to the same namespace and collection.
  const scope = await resolveDocumentScope(session, batch.caller, batch.namespace_id, batch.collection_id);
  const idOf = (item: BatchItem, index: number) => item.document_id ?? itemDocumentId(batch.id, index);
  // Whether each id is taken, in one query instead of one read per item.
  if (scope.ok) {
    const collectionId = scope.value.collection.record.id;
    const keys = items.map((item, offset) => documentKey(collectionId, idOf(item, firstIndex + offset)));
    await session.prefetch(DOCUMENTS_TABLE, keys);
  }
  for (const [offset, item] of items.entries()) {
    const index = firstIndex + offset;
    const planned = await planDocument(
      ports,
      session,
      batch.caller,
      batch.namespace_id,
      batch.collection_id,
      {
        ...documentInput(item),
        documentId: idOf(item, index),
        lineage: { batch_id: batch.id, batch_index: index },
      },
      write,
      scope.ok ? scope.value : undefined,
    );
    if (!planned.ok) {
      // An infrastructure failure is not the item's fault: roll the chunk back and retry it.
      if (isRetryable(planned.error.kind)) return planned;
      errors.push({
        index,
        error: { type: errorTypeOf(planned.error.kind), message: describe(planned.error) },
      });
    } else if (documents.some((d) => d.record.id === planned.value.record.id)) {
      // Two items of one chunk with the same id: the second finds the first taken, as on insert.
      const { document_id, collection_id } = planned.value.record;
      const taken = alreadyExists("document", { document_id, collection_id });
      errors.push({ index, error: { type: errorTypeOf(taken.kind), message: describe(taken) } });
    } else {
      documents.push(planned.value);
    }
  }
  return ok({ errors, documents });
}

function documentInput(item: BatchItem) {
  return {
    metadata: item.metadata,
    features: item.features.map(
      ([uri, values]) => [uri, typeof values === "string" ? unpackFloat32(values) : values] as const,
    ),
    text: item.text ?? undefined,
    taxonomyLabels: item.taxonomy_labels,
    acl: item.acl ?? undefined,
  };
}

function progress(batch: BatchRecord, succeeded: number, failed: number, now: Date): BatchRecord {
  const chunksDone = batch.chunks_done + 1;
  const totals = { succeeded: batch.succeeded + succeeded, failed: batch.failed + failed };
  let status: BatchStatus = "processing";
  if (chunksDone >= batch.chunk_count) status = totals.succeeded === 0 ? "failed" : "completed";
  return { ...batch, ...totals, chunks_done: chunksDone, status, updated_at: now.toISOString() };
}

/** The error's message with its validation issues, so a user sees which field was wrong. */
function describe(error: AppError): string {
  const issues = error.details?.validation_errors;
  if (!Array.isArray(issues) || issues.length === 0) return error.message;
  const parts = issues.map(
    (i: { location?: unknown; message?: unknown }) => `${String(i.location)}: ${String(i.message)}`,
  );
  return `${error.message}: ${parts.join("; ")}`;
}
