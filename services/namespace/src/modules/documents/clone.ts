import type { DocStoreSession } from "@strata/docstore";
import { ok } from "@strata/errors";
import {
  CLONE_PAGE,
  type CloneCleanUp,
  type CloneStep,
  type CloneTarget,
  type CloneWriter,
  cloneIdOf,
  deleteClonedRecords,
  insertCopies,
} from "../../shared/clone-step.js";
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
  parseDocumentKey,
} from "./tables.js";

/**
 * The source's documents with their ACLs, labels, `tier` and lineage as stored (ADR 0024, ADR 0029):
 * read in the snapshot, inserted a page at a time with their label rows. Their vectors, in whichever
 * tier each record names, are the tiers module's step.
 */
export function cloneDocuments(): CloneStep {
  return async ({ tx, sourceNamespaceId, target, sourceRecords }) => {
    const collections = await tx
      .table<CollectionRecord>(COLLECTIONS_TABLE)
      .find({ where: { namespace_id: sourceNamespaceId, state: "active" } });
    const byCollection = new Map<string, DocumentRecord[]>(collections.map((c) => [c.record.id, []]));
    for (const record of await sourceRecords<DocumentRecord>(DOCUMENTS_TABLE))
      byCollection.get(record.collection_id)?.push(record);
    const sources = collections.map(({ record: source }) => ({
      source,
      records: byCollection.get(source.id) ?? [],
    }));
    return ok(async (writer) => {
      let documents = 0;
      for (const { source, records } of sources) {
        const copy = clonedCollection(source, target);
        for (let start = 0; start < records.length; start += CLONE_PAGE) {
          const copies = records.slice(start, start + CLONE_PAGE).map((r) => clonedDocument(r, copy, writer));
          const written = await writer.page(async (tx) => {
            const inserted = await insertCopies(tx.table<DocumentRecord>(DOCUMENTS_TABLE), copies);
            if (!inserted.ok) return inserted;
            return insertCopies(
              tx.table<DocumentLabelRecord>(DOCUMENT_LABELS_TABLE),
              copies.flatMap(labelRows),
            );
          });
          if (!written.ok) return written;
          writer.progress({ documents: copies.length });
          documents += copies.length;
        }
      }
      return ok({ documents });
    });
  };
}

/** The clone's copy of a source collection (its id derived, its namespace the clone's). */
export function clonedCollection(source: CollectionRecord, target: CloneTarget): CollectionRecord {
  return {
    ...source,
    id: cloneIdOf("collection", target, source.id),
    namespace_id: target.namespaceId,
    organization_id: target.organizationId,
  };
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

/**
 * Which documents of the namespace a clone's snapshot must hold still: `<collection_id>` → ids.
 * Read from the records' ids alone (`<collection_id>/<document_id>`): parsing 100,000 records
 * here took a second of the clone's acceptance, and the snapshot reads them all again anyway.
 */
export async function sourceDocumentTurns(
  session: DocStoreSession,
  namespaceId: string,
): Promise<Map<string, string[]>> {
  const keys = await session.table<DocumentRecord>(DOCUMENTS_TABLE).ids({ namespace_id: namespaceId });
  return turnsOf(keys.map(parseDocumentKey));
}

/** The turns of these documents: `<collection_id>` → ids. */
export function documentTurns(records: readonly DocumentRecord[]): Map<string, string[]> {
  return turnsOf(records.map((r) => ({ collectionId: r.collection_id, documentId: r.document_id })));
}

function turnsOf(refs: readonly { collectionId: string; documentId: string }[]): Map<string, string[]> {
  const turns = new Map<string, string[]>();
  for (const { collectionId, documentId } of refs) {
    const ids = turns.get(collectionId) ?? [];
    ids.push(documentId);
    turns.set(collectionId, ids);
  }
  return turns;
}
