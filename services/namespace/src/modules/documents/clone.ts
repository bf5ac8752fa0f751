import type { DocStoreSession } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import { type CloneContext, type CloneStep, cloneIdOf, insertCopies } from "../../shared/clone-step.js";
import type { DocumentVectorEntry } from "../../shared/vectors/document-vectors.js";
import { vectorPayload } from "../../shared/vectors/vector-payload.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { labelRows } from "./document-label-index.js";
import { labelFields } from "./document-labels.js";
import type { DocumentPorts } from "./ports.js";
import {
  DOCUMENT_LABELS_TABLE,
  DOCUMENTS_TABLE,
  type DocumentLabelRecord,
  type DocumentRecord,
  documentKey,
} from "./tables.js";

/** Documents staged per call to the hot index. */
const STAGE_CHUNK = 1_000;

/**
 * The source's documents with their ACLs, labels and `tier` as stored, and their hot vectors, read
 * in the clone's transaction (ADR 0024). The vectors are staged under the clone's write id and made
 * visible after the commit (ADR 0013): a crash before that leaves them staged for records that name
 * the write, which start-up settles. A document whose vectors are not all readable is in the middle
 * of a write the snapshot's turns did not cover (created after they were taken): the clone is
 * retried with it covered.
 */
export function cloneDocuments(ports: DocumentPorts): CloneStep {
  return async (context) => {
    const { tx, sourceNamespaceId, target } = context;
    const collections = await tx
      .table<CollectionRecord>(COLLECTIONS_TABLE)
      .find({ where: { namespace_id: sourceNamespaceId, state: "active" } });
    let documents = 0;
    let vectors = 0;
    for (const { record: source } of collections) {
      const copy: CollectionRecord = {
        ...source,
        id: cloneIdOf("collection", target, source.id),
        namespace_id: target.namespaceId,
        organization_id: target.organizationId,
      };
      const records = await tx
        .table<DocumentRecord>(DOCUMENTS_TABLE)
        .find({ where: { collection_id: source.id } });
      for (let start = 0; start < records.length; start += STAGE_CHUNK) {
        const chunk = records.slice(start, start + STAGE_CHUNK).map((v) => v.record);
        const copied = await copyChunk(ports, context, source, copy, chunk);
        if (!copied.ok) return copied;
        vectors += copied.value;
      }
      documents += records.length;
    }
    return ok({ documents, hot_vectors: vectors });
  };
}

async function copyChunk(
  ports: DocumentPorts,
  context: CloneContext,
  source: CollectionRecord,
  copy: CollectionRecord,
  records: readonly DocumentRecord[],
): Promise<Result<number, AppError | "retry">> {
  const { tx, writeId } = context;
  const copies: DocumentRecord[] = [];
  const entries: DocumentVectorEntry[] = [];
  let vectors = 0;
  for (const record of records) {
    // Copying the warm and cold tiers is the next step of ADR 0024; until then such a clone fails
    // with this reason rather than holding records whose vectors it lacks.
    if (record.tier === "warm" || record.tier === "cold")
      return err(
        badRequest(
          `Document ${record.document_id} is in the ${record.tier} tier; clones copy hot and archived documents only for now`,
        ),
      );
    // An archived document keeps its feature list but holds no vectors anywhere.
    const expected = record.tier === "archive" ? 0 : record.feature_uris.length;
    const stored =
      expected === 0 ? ok([]) : await ports.vectors.read(source, record.document_id, record.feature_uris);
    if (!stored.ok) return stored;
    if (stored.value.length !== expected) return { ok: false, error: "retry" };
    const cloned = cloneRecord(record, copy, context);
    copies.push(cloned);
    if (stored.value.length > 0)
      entries.push({ documentId: record.document_id, vectors: stored.value, payload: vectorPayload(cloned) });
    vectors += stored.value.length;
  }
  if (entries.length > 0) {
    const staged = await ports.vectors.stage(copy, writeId, entries);
    if (!staged.ok) return staged;
    const ids = entries.map((e) => e.documentId);
    context.afterCommit(() => staged.value.commit(ids));
  }
  const inserted = await insertCopies(tx.table<DocumentRecord>(DOCUMENTS_TABLE), copies);
  if (!inserted.ok) return inserted;
  const labels = await insertCopies(
    tx.table<DocumentLabelRecord>(DOCUMENT_LABELS_TABLE),
    copies.flatMap(labelRows),
  );
  if (!labels.ok) return labels;
  return ok(vectors);
}

/** A document of the source as the clone holds it: the clone's collection and taxonomy ids. */
function cloneRecord(
  record: DocumentRecord,
  collection: CollectionRecord,
  context: CloneContext,
): DocumentRecord {
  const { target, writeId } = context;
  const taxonomyLabels = record.taxonomy_labels.map((l) => ({
    taxonomy_id: cloneIdOf("taxonomy", target, l.taxonomy_id),
    label: l.label,
  }));
  const { request_token: _token, ...rest } = record;
  return {
    ...rest,
    id: documentKey(collection.id, record.document_id),
    collection_id: collection.id,
    namespace_id: target.namespaceId,
    organization_id: target.organizationId,
    ...labelFields(taxonomyLabels),
    vector_write_id: writeId,
  };
}

/** Which documents of the namespace a clone's snapshot must hold still: `<collection_id>` → ids. */
export async function sourceDocumentTurns(
  session: DocStoreSession,
  namespaceId: string,
): Promise<Map<string, string[]>> {
  const turns = new Map<string, string[]>();
  for (const { record } of await session
    .table<DocumentRecord>(DOCUMENTS_TABLE)
    .find({ where: { namespace_id: namespaceId } })) {
    const ids = turns.get(record.collection_id) ?? [];
    ids.push(record.document_id);
    turns.set(record.collection_id, ids);
  }
  return turns;
}
