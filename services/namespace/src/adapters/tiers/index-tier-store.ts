import type { MetricName } from "@strata/contracts";
import { type AppError, ok, type Result } from "@strata/errors";
import type { DocRef, Hit, HotIndex, HotRecord, HotSpace } from "@strata/hotindex";
import type { CollectionRecord, FeatureRecord } from "../../modules/collections/tables.js";
import type { StoredVector } from "../../modules/documents/tables.js";
import type { VectorHit, VectorSearch } from "../../shared/vectors/document-vectors.js";
import type {
  SearchableTier,
  TierEntry,
  TierVector,
  TierVectorStore,
  VectorTier,
} from "../../shared/vectors/tier-vectors.js";

/** What the hot index and the warm index share: the calls a tier move and a search make. */
export type SpaceIndex = Pick<
  HotIndex,
  "upsert" | "get" | "delete" | "deleteWhere" | "dropNamespace" | "search"
>;

/** One vector space per (namespace, feature URI, dimensions, metric), in every index tier alike. */
export function spaceOf(namespaceId: string, feature: FeatureRecord): HotSpace {
  return {
    namespaceId,
    featureUri: feature.feature_uri,
    dimensions: feature.dimensions,
    metric: feature.metric,
  };
}

/** The index records of one feature of these documents (those that have it). */
export function featureRecords(
  collection: CollectionRecord,
  feature: FeatureRecord,
  entries: readonly {
    readonly documentId: string;
    readonly vectors: readonly (StoredVector | TierVector)[];
    readonly payload: object;
  }[],
): HotRecord[] {
  const records: HotRecord[] = [];
  for (const entry of entries) {
    const stored = entry.vectors.find((v) => v.feature_uri === feature.feature_uri);
    if (stored !== undefined)
      records.push({
        id: entry.documentId,
        collectionId: collection.id,
        vector: stored.vector,
        payload: entry.payload as Readonly<Record<string, unknown>>,
      });
  }
  return records;
}

/**
 * A tier kept in a vector index (hot: the hot index, warm: the warm index): one space per feature,
 * written by upsert (so a promotion to hot lands in the appendable segment and never waits for a
 * graph insert), one call per feature per batch.
 */
export function indexTierStore(
  tier: VectorTier,
  index: SpaceIndex,
  holds: (metric: MetricName) => boolean,
): TierVectorStore & SearchableTier {
  const refsOf = (collection: CollectionRecord, ids: readonly string[]): DocRef[] =>
    ids.map((id) => ({ collectionId: collection.id, id }));
  return {
    tier,
    holds,

    async write(collection, entries) {
      for (const feature of collection.features) {
        const records = featureRecords(collection, feature, entries);
        if (records.length === 0) continue;
        const written = await index.upsert(spaceOf(collection.namespace_id, feature), records);
        if (!written.ok) return written;
      }
      return ok(undefined);
    },

    async read(collection, documentIds) {
      const byId = new Map<string, { vectors: TierVector[]; payload: Readonly<Record<string, unknown>> }>();
      if (documentIds.length === 0) return ok([]);
      for (const feature of collection.features) {
        const found = await index.get(
          spaceOf(collection.namespace_id, feature),
          refsOf(collection, documentIds),
        );
        if (!found.ok) return found;
        for (const stored of found.value) {
          let entry = byId.get(stored.id);
          if (entry === undefined) {
            entry = { vectors: [], payload: stored.payload };
            byId.set(stored.id, entry);
          }
          // The index's answer is a copy of its vector: it is the entry's own.
          entry.vectors.push({ feature_uri: feature.feature_uri, vector: stored.vector });
        }
      }
      return ok(
        [...byId].map(
          ([documentId, e]): TierEntry => ({
            documentId,
            vectors: e.vectors.sort((a, b) => (a.feature_uri < b.feature_uri ? -1 : 1)),
            payload: e.payload,
          }),
        ),
      );
    },

    async remove(collection, documentIds) {
      if (documentIds.length === 0) return ok(undefined);
      for (const feature of collection.features) {
        const removed = await index.delete(
          spaceOf(collection.namespace_id, feature),
          refsOf(collection, documentIds),
        );
        if (!removed.ok) return removed;
      }
      return ok(undefined);
    },

    async removeCollection(collection) {
      for (const feature of collection.features) {
        const removed = await index.deleteWhere(spaceOf(collection.namespace_id, feature), {
          collectionId: collection.id,
        });
        if (!removed.ok) return removed;
      }
      return ok(undefined);
    },

    dropNamespace: (namespaceId) => index.dropNamespace(namespaceId),

    async search(query: VectorSearch): Promise<Result<VectorHit[], AppError>> {
      const hits = await index.search(spaceOf(query.namespaceId, query.feature), {
        vector: query.vector,
        k: query.k,
        collectionIds: query.collectionIds,
        ...(query.filter === undefined ? {} : { filter: query.filter }),
        ...(query.scoreThreshold === undefined ? {} : { scoreThreshold: query.scoreThreshold }),
      });
      if (!hits.ok) return hits;
      return ok(hits.value.map(vectorHit));
    },
  };
}

function vectorHit(h: Hit): VectorHit {
  return { collectionId: h.collectionId, documentId: h.id, score: h.score };
}
