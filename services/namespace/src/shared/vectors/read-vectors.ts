import type { DocStore } from "@strata/docstore";
import { type AppError, ok, type Result } from "@strata/errors";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../../modules/collections/tables.js";
import type { DocumentRecord, StoredVector } from "../../modules/documents/tables.js";
import type { DocumentVectors } from "./document-vectors.js";

/** The vectors of each document, in the order given (for answers that include features). */
export async function readDocumentVectors(
  ports: { readonly store: DocStore; readonly vectors: Pick<DocumentVectors, "read" | "settled"> },
  documents: readonly DocumentRecord[],
): Promise<Result<StoredVector[][], AppError>> {
  // A record is committed before the vectors it names are made visible (ADR 0013): wait for them.
  await ports.vectors.settled(
    documents.flatMap((d) => (d.vector_write_id === undefined ? [] : [d.vector_write_id])),
  );
  const collections = new Map<string, CollectionRecord | undefined>();
  const all: StoredVector[][] = [];
  for (const doc of documents) {
    if (!collections.has(doc.collection_id)) {
      const found = await ports.store.table<CollectionRecord>(COLLECTIONS_TABLE).get(doc.collection_id);
      collections.set(doc.collection_id, found?.record);
    }
    const collection = collections.get(doc.collection_id);
    if (collection === undefined || doc.feature_uris.length === 0) {
      all.push([]);
      continue;
    }
    const vectors = await ports.vectors.read(collection, doc.document_id, doc.feature_uris, doc.tier);
    if (!vectors.ok) return vectors;
    all.push(vectors.value);
  }
  return ok(all);
}
