// Test helpers for the tiers: the tier stores tests run on, and a recorder of accesses.
import { ok } from "@strata/errors";
import { evaluate } from "@strata/filter";
import { exactScore, openEmbeddedHotIndex } from "@strata/hotindex";
import { tempDir } from "@strata/testkit";
import { onTestFinished } from "vitest";
import { indexTierStore } from "../adapters/tiers/index-tier-store.js";
import type { AccessedDocument, RecordAccess } from "./ports.js";
import type { VectorHit } from "./vectors/document-vectors.js";
import type { ScannableTier, TierEntry, TierStores, TierVectorStore } from "./vectors/tier-vectors.js";

/** Counts accesses in arrays, for assertions. */
export class RecordedAccess implements RecordAccess {
  readonly read: AccessedDocument[] = [];
  readonly hit: AccessedDocument[] = [];
  reads(documents: readonly AccessedDocument[]): void {
    this.read.push(...documents);
  }
  hits(documents: readonly AccessedDocument[]): void {
    this.hit.push(...documents);
  }
}

/**
 * An in-memory cold tier (our own port): one entry per document, scanned like the real one.
 * Until the cold store adapter is wired, tests of the namespace side run on it.
 */
export function memoryColdTier(): TierVectorStore & ScannableTier & { readonly size: () => number } {
  const docs = new Map<string, TierEntry & { collectionId: string; namespaceId: string }>();
  const key = (collectionId: string, id: string) => `${collectionId}/${id}`;
  return {
    tier: "cold",
    holds: () => true,
    size: () => docs.size,
    async write(collection, entries) {
      for (const e of entries)
        docs.set(key(collection.id, e.documentId), {
          ...e,
          vectors: e.vectors.map((v) => ({ ...v, vector: Array.from(Float32Array.from(v.vector)) })),
          collectionId: collection.id,
          namespaceId: collection.namespace_id,
        });
      return ok(undefined);
    },
    async read(collection, ids) {
      return ok(ids.flatMap((id) => docs.get(key(collection.id, id)) ?? []));
    },
    async remove(collection, ids) {
      for (const id of ids) docs.delete(key(collection.id, id));
      return ok(undefined);
    },
    async removeCollection(collection) {
      for (const [k, d] of docs) if (d.collectionId === collection.id) docs.delete(k);
      return ok(undefined);
    },
    async dropNamespace(namespaceId) {
      for (const [k, d] of docs) if (d.namespaceId === namespaceId) docs.delete(k);
      return ok(undefined);
    },
    async scanSearch(query) {
      const hits: VectorHit[] = [];
      let scanned = 0;
      const vector = Float32Array.from(query.vector);
      for (const d of docs.values()) {
        if (d.namespaceId !== query.namespaceId || !query.collectionIds.includes(d.collectionId)) continue;
        scanned += 1;
        const stored = d.vectors.find((v) => v.feature_uri === query.feature.feature_uri);
        if (stored === undefined) continue;
        if (query.filter !== undefined && !evaluate(query.filter, d.payload)) continue;
        const score = exactScore(query.feature.metric, vector, Float32Array.from(stored.vector));
        if (query.scoreThreshold !== undefined && score < query.scoreThreshold) continue;
        hits.push({ collectionId: d.collectionId, documentId: d.documentId, score });
      }
      hits.sort((a, b) => b.score - a.score);
      return ok({ hits: hits.slice(0, query.k), scanned });
    },
  };
}

/** The tiers a test runs on: the real hot index it is given, an embedded warm index, a cold tier. */
export async function testTierStores(hot: TierVectorStore): Promise<TierStores> {
  const dir = await tempDir("namespace-warm");
  const warmIndex = await openEmbeddedHotIndex({ dir: dir.path });
  onTestFinished(async () => {
    await warmIndex.close();
    await dir.remove();
  });
  return {
    hot,
    warm: indexTierStore("warm", warmIndex, (metric) => metric !== "dot"),
    cold: memoryColdTier(),
  };
}
