import type { DocStoreSession } from "@strata/docstore";
import { type AppError, err, errorTypeOf, isRetryable, ok, type Result, unavailable } from "@strata/errors";
import {
  type InsertedDocument,
  insertDocument,
  resolveDocumentScope,
  writeVectors,
} from "../documents/api.js";
import { batchFinishedEvent } from "./batch-events.js";
import { unpackFloat32 } from "./packed-vectors.js";
import type { BatchPorts } from "./ports.js";
import {
  BATCH_CHUNKS_TABLE,
  BATCHES_TABLE,
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
 * no-op, so no document is written twice and no event is published twice.
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
  const result = await ports.store.transaction<ChunkOutcome, AppError>(async (tx) => {
    const batches = tx.table<BatchRecord>(BATCHES_TABLE);
    const chunks = tx.table<BatchChunkRecord>(BATCH_CHUNKS_TABLE);
    const batch = await batches.get(batchId);
    const stored = await chunks.get(chunkKey(batchId, chunk));
    if (batch === undefined || stored === undefined || stored.record.done)
      return ok({ kind: "already_done" });
    if (isFinalStatus(batch.record.status)) return ok({ kind: "already_done" });
    const { record } = stored;
    const written =
      options.giveUp === undefined
        ? await writeItems(ports, tx, batch.record, record)
        : ok(
            record.items.map((_, i) => ({
              index: record.first_index + i,
              error: { type: errorTypeOf("internal"), message: options.giveUp ?? "" },
            })),
          );
    if (!written.ok) return written;
    const errors = written.value;
    const failed = errors.length;
    const succeeded = record.items.length - failed;
    // A done chunk keeps its errors, not its items: the documents hold them now, and batch reads
    // (GET /v1/batches/{id} while it runs) then parse kilobytes instead of megabytes of vectors.
    const chunkSaved = await chunks.replace({ ...record, items: [], done: true, errors }, stored.version);
    if (!chunkSaved.ok) return err(unavailable(`batch ${batchId} chunk ${chunk} changed meanwhile; retry`));
    const now = ports.clock();
    const progressed = progress(batch.record, succeeded, failed, now);
    const batchSaved = await batches.replace(progressed, batch.version);
    if (!batchSaved.ok) return err(unavailable(`batch ${batchId} changed meanwhile; retry`));
    const finished = isFinalStatus(progressed.status);
    if (finished) await ports.appendEvent(tx, batchFinishedEvent(progressed, now));
    return ok({ kind: "processed", succeeded, failed, finished });
  });
  // Each written document appended a document.created event; the last chunk a batch event.
  if (result.ok && result.value.kind === "processed") ports.eventsCommitted();
  return result;
}

async function writeItems(
  ports: BatchPorts,
  tx: DocStoreSession,
  batch: BatchRecord,
  chunk: BatchChunkRecord,
): Promise<Result<BatchItemError[], AppError>> {
  const errors: BatchItemError[] = [];
  const inserted: InsertedDocument[] = [];
  // Once per chunk, not per item: every item writes to the same namespace and collection.
  const scope = await resolveDocumentScope(tx, batch.caller, batch.namespace_id, batch.collection_id);
  for (const [offset, item] of chunk.items.entries()) {
    const index = chunk.first_index + offset;
    const written = await insertDocument(
      ports,
      tx,
      batch.caller,
      batch.namespace_id,
      batch.collection_id,
      {
        ...documentInput(item),
        documentId: item.document_id ?? itemDocumentId(batch.id, index),
        lineage: { batch_id: batch.id, batch_index: index },
      },
      scope.ok ? scope.value : undefined,
    );
    if (!written.ok) {
      // An infrastructure failure is not the item's fault: roll the chunk back and retry it.
      if (isRetryable(written.error.kind)) return written;
      errors.push({
        index,
        error: { type: errorTypeOf(written.error.kind), message: describe(written.error) },
      });
    } else {
      inserted.push(written.value);
    }
  }
  // One durable write of the chunk's vectors before it commits; a redelivered chunk rewrites the
  // same ids (they are deterministic), so a crash in between leaves nothing twice.
  const vectors = await writeVectors(ports, inserted);
  return vectors.ok ? ok(errors) : vectors;
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
