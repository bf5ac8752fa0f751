import type { Caller } from "@strata/access";
import { MAX_BATCH_DOCUMENTS } from "@strata/contracts";
import {
  type AppError,
  alreadyExists,
  appError,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { idFromSeed, newId } from "@strata/ids";
import { requirePermission } from "../../shared/namespace-access.js";
import { checkRequestToken, createdBy } from "../../shared/request-token.js";
import type { NewDocumentInput } from "../documents/api.js";
import { resolveDocumentScope } from "../documents/api.js";
import { packFloat32 } from "./packed-vectors.js";
import type { BatchChunkRef, BatchPorts } from "./ports.js";
import {
  BATCH_CHUNK_ITEMS_TABLE,
  BATCH_CHUNK_SIZE,
  BATCH_CHUNKS_TABLE,
  BATCHES_TABLE,
  type BatchChunkItemsRecord,
  type BatchChunkRecord,
  type BatchItem,
  type BatchRecord,
  chunkKey,
} from "./tables.js";

/**
 * Stores a batch and all its documents in one transaction, then hands its chunks to the work
 * queue. The documents themselves are checked when their chunk runs: a bad item fails alone.
 * With a request token the batch's id comes from the token and the batch keeps it: a repeated
 * creation (a retry after a crash, ADR 0016) answers the batch the first one created.
 */
export async function createBatch(
  ports: BatchPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  documents: readonly NewDocumentInput[],
  requestToken?: string,
): Promise<Result<BatchRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  if (documents.length === 0) {
    issues.push({ location: "body.documents", message: "Give at least one document", type: "too_small" });
  }
  checkRequestToken(requestToken, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  if (documents.length > MAX_BATCH_DOCUMENTS) {
    return err(
      appError(
        "payload_too_large",
        `A batch holds at most ${MAX_BATCH_DOCUMENTS} documents; this one has ${documents.length}: split it`,
        { max_documents: MAX_BATCH_DOCUMENTS, documents: documents.length },
      ),
    );
  }
  const batchId = requestToken === undefined ? newId("batch") : idFromSeed("batch", requestToken);
  const result = await ports.store.transaction<BatchRecord, AppError>(async (tx) => {
    const scope = await resolveDocumentScope(tx, caller, namespaceId, collectionIdentifier);
    if (!scope.ok) return scope;
    const collection = scope.value.collection.record;
    const earlier = await tx.table<BatchRecord>(BATCHES_TABLE).get(batchId);
    if (earlier !== undefined) return err(takenBy(earlier.record));
    const at = ports.clock().toISOString();
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
      ...(requestToken === undefined ? {} : { request_token: requestToken }),
    };
    const inserted = await tx.table<BatchRecord>(BATCHES_TABLE).insert(batch);
    if (!inserted.ok) return err(takenBy(batch));
    const chunks = tx.table<BatchChunkRecord>(BATCH_CHUNKS_TABLE);
    const chunkItems = tx.table<BatchChunkItemsRecord>(BATCH_CHUNK_ITEMS_TABLE);
    for (let chunk = 0; chunk < chunkCount; chunk++) {
      const first = chunk * BATCH_CHUNK_SIZE;
      const id = chunkKey(batchId, chunk);
      await chunks.insert({ id, batch_id: batchId, chunk, first_index: first, done: false, errors: [] });
      const items = documents.slice(first, first + BATCH_CHUNK_SIZE).map(toItem);
      await chunkItems.insert({ id, batch_id: batchId, items });
    }
    return ok(batch);
  });
  if (!result.ok)
    return result.error.kind === "already_exists"
      ? createdEarlier(ports, batchId, requestToken, result.error)
      : result;
  await ports.enqueueChunks(chunkRefs(result.value));
  return result;
}

function takenBy(batch: BatchRecord): AppError {
  return alreadyExists("batch", { batch_id: batch.id });
}

/**
 * The batch an earlier request with the same token created (its chunks were enqueued then, or by
 * the start-up sweep after a crash), read after the transaction so that a concurrent first attempt
 * that committed meanwhile is found too. Anything else at that id stays a conflict.
 */
async function createdEarlier(
  ports: BatchPorts,
  batchId: string,
  requestToken: string | undefined,
  conflict: AppError,
): Promise<Result<BatchRecord, AppError>> {
  const found = await ports.store.table<BatchRecord>(BATCHES_TABLE).get(batchId);
  return found !== undefined && createdBy(found.record, requestToken) ? ok(found.record) : err(conflict);
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
