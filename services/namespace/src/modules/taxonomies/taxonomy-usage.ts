import type { DocStoreSession, Where } from "@strata/docstore";
import { DOCUMENTS_TABLE, type DocumentRecord, taxonomyTerm } from "../documents/tables.js";

const CHUNK = 100;

/** Up to `limit` documents of the namespace that carry a label of the taxonomy (any label if none given). */
export async function documentsUsingTaxonomy(
  session: DocStoreSession,
  namespaceId: string,
  taxonomyId: string,
  labels?: readonly string[],
  limit = 5,
): Promise<{ document_id: string; collection_id: string }[]> {
  const table = session.table<DocumentRecord>(DOCUMENTS_TABLE);
  const conditions: Where[] =
    labels === undefined
      ? [{ namespace_id: namespaceId, taxonomy_ids: { $contains: taxonomyId } }]
      : chunks(labels).map((chunk) => ({
          namespace_id: namespaceId,
          $or: chunk.map((label) => ({ taxonomy_terms: { $contains: taxonomyTerm(taxonomyId, label) } })),
        }));
  const found: { document_id: string; collection_id: string }[] = [];
  for (const where of conditions) {
    for (const { record } of await table.find({ where, limit: limit - found.length })) {
      found.push({ document_id: record.document_id, collection_id: record.collection_id });
    }
    if (found.length >= limit) break;
  }
  return found;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
