import type { DocStoreSession } from "@strata/docstore";
import { type AppError, ok, type Result } from "@strata/errors";
import {
  CLONE_PAGE,
  type CloneCleanUp,
  type CloneStep,
  type CloneWriter,
  cloneIdOf,
  deleteClonedRecords,
  insertCopies,
} from "../../shared/clone-step.js";
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

/**
 * The source's documents with their ACLs, labels, `tier` and lineage as stored, and their hot
 * vectors (ADR 0024, ADR 0029). The records are read in the snapshot; the copy then goes a page at a
 * time: the page's hot vectors are read (the documents' turns keep them as the snapshot saw them),
 * staged under the clone's write id, the page's records committed, the vectors made visible
 * (ADR 0013: a crash in between leaves them staged for records that name the write). Warm and cold
 * documents' vectors are the tiers module's step; archived ones hold none. A hot document whose
 * vectors are not all readable is in the middle of a write the turns did not cover: the clone is
 * retried with it covered.
 */
export function cloneDocuments(ports: DocumentPorts): CloneStep {
  return async ({ tx, sourceNamespaceId, target }) => {
    const collections = await tx
      .table<CollectionRecord>(COLLECTIONS_TABLE)
      .find({ where: { namespace_id: sourceNamespaceId, state: "active" } });
    const sources: { source: CollectionRecord; records: DocumentRecord[] }[] = [];
    for (const { record: source } of collections) {
      const records = await tx
        .table<DocumentRecord>(DOCUMENTS_TABLE)
        .find({ where: { collection_id: source.id } });
      sources.push({ source, records: records.map((r) => r.record) });
    }
    return ok(async (writer) => {
      let documents = 0;
      let vectors = 0;
      for (const { source, records } of sources) {
        const copy: CollectionRecord = {
          ...source,
          id: cloneIdOf("collection", target, source.id),
          namespace_id: target.namespaceId,
          organization_id: target.organizationId,
        };
        for (let start = 0; start < records.length; start += CLONE_PAGE) {
          const page = records.slice(start, start + CLONE_PAGE);
          const copied = await copyPage(ports, writer, source, copy, page);
          if (!copied.ok) return copied;
          writer.progress({ documents: page.length, hot_vectors: copied.value });
          vectors += copied.value;
          documents += page.length;
        }
      }
      return ok({ documents, hot_vectors: vectors });
    });
  };
}

async function copyPage(
  ports: DocumentPorts,
  writer: CloneWriter,
  source: CollectionRecord,
  copy: CollectionRecord,
  records: readonly DocumentRecord[],
): Promise<Result<number, AppError | "retry">> {
  const copies: DocumentRecord[] = [];
  const entries: DocumentVectorEntry[] = [];
  let vectors = 0;
  for (const record of records) {
    const cloned = clonedDocument(record, copy, writer);
    copies.push(cloned);
    if (record.tier !== "hot" || record.feature_uris.length === 0) continue;
    const stored = await ports.vectors.read(source, record.document_id, record.feature_uris);
    if (!stored.ok) return stored;
    if (stored.value.length !== record.feature_uris.length) return { ok: false, error: "retry" };
    entries.push({ documentId: record.document_id, vectors: stored.value, payload: vectorPayload(cloned) });
    vectors += stored.value.length;
  }
  const staged = entries.length === 0 ? undefined : await ports.vectors.stage(copy, writer.writeId, entries);
  if (staged !== undefined && !staged.ok) return staged;
  const written = await writer.page(async (tx) => {
    const inserted = await insertCopies(tx.table<DocumentRecord>(DOCUMENTS_TABLE), copies);
    if (!inserted.ok) return inserted;
    return insertCopies(tx.table<DocumentLabelRecord>(DOCUMENT_LABELS_TABLE), copies.flatMap(labelRows));
  });
  if (!written.ok) return written;
  if (staged !== undefined) {
    const committed = await staged.value.commit(entries.map((e) => e.documentId));
    if (!committed.ok) return committed;
  }
  return ok(vectors);
}

/** A failed clone's document records and label rows (its vectors go with the search module's). */
export function cleanUpClonedDocuments(ports: Pick<DocumentPorts, "store">): CloneCleanUp {
  return deleteClonedRecords(ports.store, [DOCUMENT_LABELS_TABLE, DOCUMENTS_TABLE]);
}

/** A document of the source as the clone holds it: the clone's collection and taxonomy ids. */
export function clonedDocument(
  record: DocumentRecord,
  collection: CollectionRecord,
  writer: Pick<CloneWriter, "target" | "writeId">,
): DocumentRecord {
  const { target, writeId } = writer;
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
