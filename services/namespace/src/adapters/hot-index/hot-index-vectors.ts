import { type AppError, err, ok, type Result } from "@strata/errors";
import { type HotIndex, type HotRecord, type HotSpace, MAX_K } from "@strata/hotindex";
import type { CollectionRecord, FeatureRecord } from "../../modules/collections/tables.js";
import type { StoredVector } from "../../modules/documents/tables.js";
import type {
  DocumentVectorEntry,
  DocumentVectors,
  FeatureIndexStats,
  VectorHit,
  VectorSearch,
} from "../../shared/vectors/document-vectors.js";

/** One vector space per (namespace, feature URI, dimensions, metric), as the HotIndex port defines it. */
function spaceOf(namespaceId: string, feature: FeatureRecord): HotSpace {
  return {
    namespaceId,
    featureUri: feature.feature_uri,
    dimensions: feature.dimensions,
    metric: feature.metric,
  };
}

/** DocumentVectors over a HotIndex (the embedded index or Qdrant). */
export function hotIndexVectors(index: HotIndex): DocumentVectors {
  return {
    maxK: MAX_K,

    async write(collection: CollectionRecord, entries: readonly DocumentVectorEntry[]) {
      for (const feature of collection.features) {
        const records: HotRecord[] = [];
        for (const entry of entries) {
          const stored = entry.vectors.find((v) => v.feature_uri === feature.feature_uri);
          if (stored === undefined) continue;
          records.push({
            id: entry.documentId,
            collectionId: collection.id,
            vector: stored.vector,
            payload: entry.payload,
          });
        }
        if (records.length === 0) continue;
        const written = await index.upsert(spaceOf(collection.namespace_id, feature), records);
        if (!written.ok) return written;
      }
      return ok(undefined);
    },

    async read(collection: CollectionRecord, documentId: string, featureUris: readonly string[]) {
      const vectors: StoredVector[] = [];
      for (const uri of featureUris) {
        const feature = collection.features.find((f) => f.feature_uri === uri);
        if (feature === undefined) continue;
        const found = await index.get(spaceOf(collection.namespace_id, feature), [
          { collectionId: collection.id, id: documentId },
        ]);
        if (!found.ok) return found;
        for (const stored of found.value)
          vectors.push({ feature_uri: uri, vector: Array.from(stored.vector) });
      }
      return ok(vectors);
    },

    async remove(
      collection: CollectionRecord,
      documentIds: readonly string[],
      featureUris: readonly string[],
    ) {
      if (documentIds.length === 0) return ok(undefined);
      const refs = documentIds.map((id) => ({ collectionId: collection.id, id }));
      for (const feature of collection.features) {
        if (!featureUris.includes(feature.feature_uri)) continue;
        const removed = await index.delete(spaceOf(collection.namespace_id, feature), refs);
        if (!removed.ok) return removed;
      }
      return ok(undefined);
    },

    async removeCollection(collection: CollectionRecord) {
      for (const feature of collection.features) {
        const removed = await index.deleteWhere(spaceOf(collection.namespace_id, feature), {
          collectionId: collection.id,
        });
        if (!removed.ok) return removed;
      }
      return ok(undefined);
    },

    async search(query: VectorSearch): Promise<Result<VectorHit[], AppError>> {
      const hits = await index.search(spaceOf(query.namespaceId, query.feature), {
        vector: query.vector,
        k: query.k,
        collectionIds: query.collectionIds,
        ...(query.filter === undefined ? {} : { filter: query.filter }),
        ...(query.scoreThreshold === undefined ? {} : { scoreThreshold: query.scoreThreshold }),
      });
      if (!hits.ok) return err(hits.error);
      return ok(hits.value.map((h) => ({ collectionId: h.collectionId, documentId: h.id, score: h.score })));
    },

    async stats(collection: CollectionRecord) {
      const result: FeatureIndexStats[] = [];
      for (const feature of collection.features) {
        const space = spaceOf(collection.namespace_id, feature);
        const counted = await index.count(space, undefined, [collection.id]);
        if (!counted.ok) return counted;
        const stats = await index.stats(space);
        if (!stats.ok) return stats;
        const [spaceStats] = stats.value.spaces;
        result.push({
          featureUri: feature.feature_uri,
          vectors: counted.value,
          pending: spaceStats === undefined ? 0 : spaceStats.count - spaceStats.indexed,
        });
      }
      return ok(result);
    },

    close: () => index.close(),
  };
}
