import { ok } from "@strata/errors";
import { type HotIndex, type HotSpace, MAX_K } from "@strata/hotindex";
import type { CollectionRecord } from "../../modules/collections/tables.js";
import type { StoredVector } from "../../modules/documents/tables.js";
import type {
  DocumentVectorEntry,
  DocumentVectors,
  FeatureIndexStats,
  InDoubtVectors,
  StagedDocument,
  StagedVectors,
  VectorSearch,
} from "../../shared/vectors/document-vectors.js";
import { numbersOf } from "../../shared/vectors/numbers.js";
import type { SearchableTier, TierVectorStore } from "../../shared/vectors/tier-vectors.js";
import { featureRecords, indexTierStore, spaceOf } from "../tiers/index-tier-store.js";
import { copyHotDocuments } from "./hot-tier-copy.js";
import { KeyedLock } from "./keyed-lock.js";

/** The hot tier as a tier move sees it: every metric, written by upsert (the appendable segment). */
export function hotTierStore(index: HotIndex): TierVectorStore & SearchableTier {
  return { ...indexTierStore("hot", index, () => true), copyDocuments: copyHotDocuments(index) };
}

/** DocumentVectors over a HotIndex (the embedded index or Qdrant). */
export function hotIndexVectors(index: HotIndex): DocumentVectors {
  const locks = new KeyedLock();
  const asTier = hotTierStore(index);
  // Staged writes of this process not yet committed nor aborted: readers of their records wait.
  const unsettled = new Map<string, Promise<void>>();
  return {
    maxK: MAX_K,

    async stage(collection: CollectionRecord, writeId: string, entries: readonly DocumentVectorEntry[]) {
      const spaces: HotSpace[] = [];
      const abort = async () => {
        for (const space of spaces) {
          const aborted = await index.abort(space, writeId);
          if (!aborted.ok) return aborted;
        }
        return ok(undefined);
      };
      for (const feature of collection.features) {
        const records = featureRecords(collection, feature, entries);
        if (records.length === 0) continue;
        const space = spaceOf(collection.namespace_id, feature);
        const staged = await index.stage(space, writeId, records);
        if (!staged.ok) {
          await abort();
          return staged;
        }
        spaces.push(space);
      }
      let markSettled: () => void = () => undefined;
      unsettled.set(
        writeId,
        new Promise<void>((resolve) => {
          markSettled = resolve;
        }),
      );
      // Settled even when the commit or abort failed: the write then waits for the next start.
      const settling = async <R>(work: () => Promise<R>): Promise<R> => {
        try {
          return await work();
        } finally {
          unsettled.delete(writeId);
          markSettled();
        }
      };
      const handle: StagedVectors = {
        commit: (documentIds: readonly string[]) =>
          settling(async () => {
            const only = documentIds.map((id) => ({ collectionId: collection.id, id }));
            for (const space of spaces) {
              const committed = await index.commit(space, writeId, only);
              if (!committed.ok) return committed;
            }
            return ok(undefined);
          }),
        abort: () => settling(abort),
      };
      return ok(handle);
    },

    async settled(writeIds: readonly string[]) {
      for (const writeId of writeIds) await unsettled.get(writeId);
    },

    async inDoubt() {
      const staged = await index.staged();
      if (!staged.ok) return staged;
      const byWrite = new Map<string, { spaces: HotSpace[]; documents: Map<string, StagedDocument> }>();
      for (const write of staged.value) {
        let entry = byWrite.get(write.writeId);
        if (entry === undefined) {
          entry = { spaces: [], documents: new Map() };
          byWrite.set(write.writeId, entry);
        }
        entry.spaces.push(write.space);
        for (const ref of write.refs)
          entry.documents.set(`${ref.collectionId}/${ref.id}`, {
            collectionId: ref.collectionId,
            documentId: ref.id,
          });
      }
      return ok(
        [...byWrite].map(
          ([writeId, { spaces, documents }]): InDoubtVectors => ({
            writeId,
            documents: [...documents.values()],
            async settle(keep: readonly StagedDocument[]) {
              const only = keep.map((d) => ({ collectionId: d.collectionId, id: d.documentId }));
              for (const space of spaces) {
                const settled =
                  only.length === 0
                    ? await index.abort(space, writeId)
                    : await index.commit(space, writeId, only);
                if (!settled.ok) return settled;
              }
              return ok(undefined);
            },
          }),
        ),
      );
    },

    exclusive: <T>(collectionId: string, documentIds: readonly string[], work: () => Promise<T>) =>
      locks.run(
        documentIds.map((id) => `${collectionId}/${id}`),
        work,
      ),

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
          vectors.push({ feature_uri: uri, vector: numbersOf(stored.vector) });
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

    dropNamespace: (namespaceId: string) => index.dropNamespace(namespaceId),

    search: (query: VectorSearch) => asTier.search(query),

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
