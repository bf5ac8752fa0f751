import type { ColdDocument, ColdStore } from "@strata/coldstore";
import { type AppError, ok, type Result } from "@strata/errors";
import { evaluate } from "@strata/filter";
import { exactScore } from "@strata/hotindex";
import type { CollectionRecord } from "../../modules/collections/tables.js";
import type { VectorHit, VectorSearch } from "../../shared/vectors/document-vectors.js";
import type {
  ScanAnswer,
  ScannableTier,
  TierEntry,
  TierVectorStore,
} from "../../shared/vectors/tier-vectors.js";

/**
 * The cold tier: packs of documents (every feature vector and the payload) in the cold store.
 * It holds every metric (it only stores bytes); it answers searches only by a scan.
 */
export function coldTierStore(store: ColdStore): TierVectorStore & ScannableTier {
  const refOf = (collection: CollectionRecord, documentId: string) => ({
    namespaceId: collection.namespace_id,
    collectionId: collection.id,
    documentId,
  });
  return {
    tier: "cold",
    holds: () => true,

    async write(collection, entries) {
      if (entries.length === 0) return ok(undefined);
      const docs: ColdDocument[] = entries.map((entry) => ({
        ...refOf(collection, entry.documentId),
        vectors: entry.vectors.flatMap((v) => {
          const feature = collection.features.find((f) => f.feature_uri === v.feature_uri);
          return feature === undefined
            ? []
            : [
                {
                  featureUri: v.feature_uri,
                  dimensions: feature.dimensions,
                  metric: feature.metric,
                  vector: v.vector,
                },
              ];
        }),
        payload: entry.payload,
      }));
      const written = await store.putMany(docs);
      return written.ok ? ok(undefined) : written;
    },

    async read(collection, documentIds) {
      if (documentIds.length === 0) return ok([]);
      const found = await store.getMany(documentIds.map((id) => refOf(collection, id)));
      return found.ok ? ok(found.value.map(coldEntry)) : found;
    },

    async remove(collection, documentIds) {
      if (documentIds.length === 0) return ok(undefined);
      const removed = await store.delete(documentIds.map((id) => refOf(collection, id)));
      return removed.ok ? ok(undefined) : removed;
    },

    async removeCollection(collection) {
      // The cold store has no per-collection delete: list the collection's documents, then delete
      // them in one call (per page, each pack would be rewritten once per page, and a rewritten
      // pack is one the scan already passed).
      const refs: ReturnType<typeof refOf>[] = [];
      for await (const page of store.scan(collection.namespace_id, collection.id)) {
        if (!page.ok) return page;
        for (const d of page.value) refs.push(refOf(collection, d.documentId));
      }
      if (refs.length === 0) return ok(undefined);
      const removed = await store.delete(refs);
      return removed.ok ? ok(undefined) : removed;
    },

    dropNamespace: (namespaceId) => store.dropNamespace(namespaceId),

    scanSearch: (query) => scanSearch(store, query),
  };
}

function coldEntry(doc: ColdDocument): TierEntry {
  return {
    documentId: doc.documentId,
    vectors: doc.vectors
      // A copy: the decoded pack may stay cached, and a caller may keep the entry.
      .map((v) => ({ feature_uri: v.featureUri, vector: v.vector.slice() }))
      .sort((a, b) => (a.feature_uri < b.feature_uri ? -1 : 1)),
    payload: doc.payload,
  };
}

/** Every document of the collections, scored exactly as the hot index scores, filtered by payload. */
async function scanSearch(store: ColdStore, query: VectorSearch): Promise<Result<ScanAnswer, AppError>> {
  const { feature } = query;
  const hits: VectorHit[] = [];
  let scanned = 0;
  for (const collectionId of query.collectionIds) {
    for await (const page of store.scan(query.namespaceId, collectionId)) {
      if (!page.ok) return page;
      for (const doc of page.value) {
        scanned += 1;
        const stored = doc.vectors.find((v) => v.featureUri === feature.feature_uri);
        if (stored === undefined) continue;
        if (query.filter !== undefined && !evaluate(query.filter, doc.payload)) continue;
        const score = exactScore(feature.metric, query.vector, stored.vector);
        if (query.scoreThreshold !== undefined && score < query.scoreThreshold) continue;
        hits.push({ collectionId: doc.collectionId, documentId: doc.documentId, score });
      }
    }
  }
  hits.sort((a, b) => b.score - a.score);
  return ok({ hits: hits.slice(0, query.k), scanned });
}
