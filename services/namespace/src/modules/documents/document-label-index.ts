import { chunksOf } from "@strata/batching";
import type { DocStoreSession } from "@strata/docstore";
import { jsonEqual } from "../../shared/json-value.js";
import { DOCUMENT_LABELS_TABLE, type DocumentLabelRecord, type DocumentRecord } from "./tables.js";

/** Labels per lookup: each lookup is one indexed `$in` on (namespace, taxonomy, label). */
const LOOKUP_CHUNK = 100;

/** The index rows of a document: one per label it carries. */
export function labelRows(document: DocumentRecord): DocumentLabelRecord[] {
  return document.taxonomy_labels.map(({ taxonomy_id, label }) => ({
    id: JSON.stringify([document.collection_id, document.document_id, taxonomy_id, label]),
    namespace_id: document.namespace_id,
    taxonomy_id,
    label,
    collection_id: document.collection_id,
    document_id: document.document_id,
  }));
}

/**
 * Keeps the label index in step with one document write, in the write's transaction: `before` is
 * the stored record (undefined for a create), `after` the one written (undefined for a delete).
 */
export async function indexDocumentLabels(
  tx: DocStoreSession,
  before: DocumentRecord | undefined,
  after: DocumentRecord | undefined,
): Promise<void> {
  if (before !== undefined && after !== undefined && jsonEqual(before.taxonomy_labels, after.taxonomy_labels))
    return;
  const document = after ?? before;
  if (document === undefined) return;
  await replaceLabelRows(tx, document, after === undefined ? [] : labelRows(after));
}

/**
 * Replaces a document's index rows with `rows`. Delete, then insert: an insert that met an existing
 * row would doom a MongoDB transaction, and rows that drifted go too.
 */
export async function replaceLabelRows(
  tx: DocStoreSession,
  document: Pick<DocumentRecord, "collection_id" | "document_id">,
  rows: readonly DocumentLabelRecord[],
): Promise<void> {
  const table = tx.table<DocumentLabelRecord>(DOCUMENT_LABELS_TABLE);
  await table.deleteMany({ collection_id: document.collection_id, document_id: document.document_id });
  for (const row of rows) {
    const inserted = await table.insert(row);
    // A document's labels are distinct (checkTaxonomyLabels), and its rows were just deleted.
    if (!inserted.ok) throw new Error(`label index row ${row.id} written twice`);
  }
}

export interface LabelledDocument {
  readonly document_id: string;
  readonly collection_id: string;
}

/**
 * Up to `limit` documents of the namespace that carry one of `labels` of the taxonomy (any of its
 * labels when `labels` is undefined): indexed lookups on the label index, never a document scan.
 */
export async function documentsWithLabels(
  session: DocStoreSession,
  namespaceId: string,
  taxonomyId: string,
  labels: readonly string[] | undefined,
  limit: number,
): Promise<LabelledDocument[]> {
  const table = session.table<DocumentLabelRecord>(DOCUMENT_LABELS_TABLE);
  const lookups =
    labels === undefined
      ? [{ namespace_id: namespaceId, taxonomy_id: taxonomyId }]
      : chunksOf(labels, LOOKUP_CHUNK).map((chunk) => ({
          namespace_id: namespaceId,
          taxonomy_id: taxonomyId,
          label: { $in: chunk },
        }));
  const found = new Map<string, LabelledDocument>();
  for (const where of lookups) {
    if (found.size >= limit) break;
    for (const { record } of await table.find({ where, limit: limit - found.size })) {
      const { collection_id, document_id } = record;
      found.set(JSON.stringify([collection_id, document_id]), { collection_id, document_id });
    }
  }
  return [...found.values()].slice(0, limit);
}
