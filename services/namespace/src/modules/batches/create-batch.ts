import type { Caller } from "@strata/access";
import { MAX_BATCH_DOCUMENTS } from "@strata/contracts";
import { type AppError, appError, err, ok, type Result, validationFailed } from "@strata/errors";
import { newId } from "@strata/ids";
import { requirePermission } from "../../shared/namespace-access.js";
import type { NewDocumentInput } from "../documents/api.js";
import { resolveDocumentScope } from "../documents/api.js";
import { packFloat32 } from "./packed-vectors.js";
import type { BatchChunkRef, BatchPorts } from "./ports.js";
import {
  BATCH_CHUNK_SIZE,
  BATCH_CHUNKS_TABLE,
  BATCHES_TABLE,
  type BatchChunkRecord,
  type BatchItem,
  type BatchRecord,
  chunkKey,
} from "./tables.js";

/**
 * Stores a batch and all its documents in one transaction, then hands its chunks to the work
 * queue. The documents themselves are checked when their chunk runs: a bad item fails alone.
 */
export async function createBatch(
  ports: BatchPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  documents: readonly NewDocumentInput[],
): Promise<Result<BatchRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  if (documents.length === 0) {
    return err(
      validationFailed([
        { location: "body.documents", message: "Give at least one document", type: "too_small" },
      ]),
    );
  }
  if (documents.length > MAX_BATCH_DOCUMENTS) {
    return err(
      appError(
        "payload_too_large",
        `A batch holds at most ${MAX_BATCH_DOCUMENTS} documents; this one has ${documents.length}: split it`,
        { max_documents: MAX_BATCH_DOCUMENTS, documents: documents.length },
      ),
    );
  }
  const result = await ports.store.transaction<BatchRecord, AppError>(async (tx) => {
    const scope = await resolveDocumentScope(tx, caller, namespaceId, collectionIdentifier);
    if (!scope.ok) return scope;
    const collection = scope.value.collection.record;
    const at = ports.clock().toISOString();
    const batchId = newId("batch");
    const chunkCount = Math.ceil(documents.length / BATCH_CHUNK_SIZE);
    const batch: BatchRecord = {
      id: batchId,
      collection_id: collection.id,
      namespace_id: collection.namespace_id,
      organization_id: collection.organization_id,
      caller,
      status: "pending",
      total: documents.length,
      succeeded: 0,
      failed: 0,
      chunk_count: chunkCount,
      chunks_done: 0,
      created_at: at,
      updated_at: at,
    };
    await tx.table<BatchRecord>(BATCHES_TABLE).insert(batch);
    const chunks = tx.table<BatchChunkRecord>(BATCH_CHUNKS_TABLE);
    for (let chunk = 0; chunk < chunkCount; chunk++) {
      const first = chunk * BATCH_CHUNK_SIZE;
      await chunks.insert({
        id: chunkKey(batchId, chunk),
        batch_id: batchId,
        chunk,
        first_index: first,
        items: documents.slice(first, first + BATCH_CHUNK_SIZE).map(toItem),
        done: false,
        errors: [],
      });
    }
    return ok(batch);
  });
  if (!result.ok) return result;
  await ports.enqueueChunks(chunkRefs(result.value));
  return result;
}

export function chunkRefs(batch: BatchRecord, done: ReadonlySet<number> = new Set()): BatchChunkRef[] {
  const refs: BatchChunkRef[] = [];
  for (let chunk = 0; chunk < batch.chunk_count; chunk++) {
    if (!done.has(chunk)) refs.push({ batchId: batch.id, chunk });
  }
  return refs;
}

function toItem(input: NewDocumentInput): BatchItem {
  const entries = Array.isArray(input.features) ? input.features : Object.entries(input.features);
  return {
    document_id: input.documentId ?? null,
    metadata: input.metadata ?? {},
    features: entries.map(([uri, values]) => [uri, packFloat32(values)] as const),
    text: input.text ?? null,
    taxonomy_labels: input.taxonomyLabels,
    acl: input.acl ?? null,
  };
}
