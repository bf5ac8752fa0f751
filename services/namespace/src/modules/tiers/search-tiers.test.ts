import { exactScore } from "@strata/hotindex";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callerOf } from "../../shared/test-support.js";
import { vectorPayload } from "../../shared/vectors/vector-payload.js";
import { getDocument } from "../documents/read-documents.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey, type Tier } from "../documents/tables.js";
import { searchDocuments } from "../search/search-documents.js";
import { DIMS, type TierWorld, tierWorld, VEC } from "./tier-test-support.js";

const RED = { AND: [{ field: "metadata.color", operator: "eq", value: "red" }] };

function searcher(w: TierWorld) {
  return async (
    vector: readonly number[],
    over: { topK?: number; includeCold?: boolean; filters?: unknown } = {},
  ) => {
    const found = await searchDocuments(w.t.ports, callerOf(w.t.organizationId), w.t.namespaceId, {
      collectionIdentifiers: ["items"],
      featureUri: VEC,
      vector,
      topK: over.topK ?? 10,
      ...(over.filters === undefined ? {} : { filters: over.filters }),
      ...(over.includeCold === undefined ? {} : { includeCold: over.includeCold }),
    });
    if (!found.ok) throw new Error(JSON.stringify(found.error));
    return found.value;
  };
}

describe("search over every tier", () => {
  it("merges hot and warm by score, marks each hit's tier, scans cold only when asked, never answers archive", async () => {
    const w = await tierWorld(8);
    const search = searcher(w);
    await w.move(["d1", "d2"], "warm");
    await w.move(["d3"], "cold");
    await w.move(["d4"], "archive");
    const query = w.vectors.get("d3") ?? [];
    const hotAndWarm = await search(query);
    expect(hotAndWarm.coldScanned).toBeUndefined();
    const tiers = Object.fromEntries(hotAndWarm.hits.map((h) => [h.document.document_id, h.sourceTier]));
    expect(tiers).toEqual({ d0: "hot", d1: "warm", d2: "warm", d5: "hot", d6: "hot", d7: "hot" });
    const everything = await search(query, { includeCold: true });
    expect(everything.coldScanned).toBe(1);
    expect(everything.hits[0]?.document.document_id).toBe("d3");
    expect(everything.hits[0]?.sourceTier).toBe("cold");
    expect(everything.hits[0]?.score).toBeCloseTo(1, 5);
    expect(everything.hits.map((h) => h.document.document_id)).not.toContain("d4");
    const scores = everything.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Search hits are counted for tiering, with the tier they were found in.
    expect(w.t.ports.recordAccess.hit.filter((d) => d.tier === "cold").map((d) => d.document_id)).toEqual([
      "d3",
    ]);
  });

  it("answers a document caught in two tiers once, from the tier its pointer names", async () => {
    const w = await tierWorld(3);
    const search = searcher(w);
    // A move that copied d0 to warm and has not flipped its pointer yet.
    const documents = w.t.ports.store.table<DocumentRecord>(DOCUMENTS_TABLE);
    const d0 = await documents.get(documentKey(w.collection.id, "d0"));
    if (d0 === undefined) throw new Error("no d0");
    const vectors = (await w.featuresOf("d0")).map((v) => ({ ...v, vector: Float32Array.from(v.vector) }));
    const copy = { documentId: "d0", vectors, payload: vectorPayload(d0.record) };
    await w.t.ports.tiers.warm.write(w.collection, [copy]);
    const hits = (await search(w.vectors.get("d0") ?? [])).hits;
    expect(hits.filter((h) => h.document.document_id === "d0").map((h) => h.sourceTier)).toEqual(["hot"]);
    expect(hits).toHaveLength(3);
  });

  it("reads a warm or cold document's features from its tier and counts the read; archive has none", async () => {
    const w = await tierWorld(3);
    await w.move(["d0"], "warm");
    await w.move(["d1"], "cold");
    await w.move(["d2"], "archive");
    const admin = callerOf(w.t.organizationId);
    for (const [id, tier] of [
      ["d0", "warm"],
      ["d1", "cold"],
      ["d2", "archive"],
    ] as const) {
      const got = await getDocument(w.t.ports, admin, w.t.namespaceId, "items", id);
      expect(got.ok && got.value.tier).toBe(tier);
      const features = await w.featuresOf(id);
      if (tier === "archive") expect(features).toEqual([]);
      else expect(features.map((f) => f.vector)).toEqual([w.vectors.get(id)]);
    }
  });
});

/**
 * The equivalence property: whichever documents sit in which tier, an exact search over every
 * tier (cold included) answers the same ids, in the same order, with the same scores, as a brute
 * force over the documents' vectors, with and without a filter.
 */
describe("exact search equivalence across tiers", () => {
  it("answers identically while random subsets of documents move between hot, warm and cold", async () => {
    const N = 40;
    const w = await tierWorld(N, 11);
    const search = searcher(w);
    const ids = [...w.vectors.keys()];
    const brute = (query: readonly number[], filter: boolean, k: number) =>
      ids
        .filter((id) => !filter || Number(id.slice(1)) % 2 === 0)
        .map((id) => ({
          id,
          score: exactScore("cosine", Float32Array.from(query), Float32Array.from(w.vectors.get(id) ?? [])),
        }))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
    const tierArb = fc.constantFrom<Tier>("hot", "warm", "cold");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: N - 1 }), tierArb), { minLength: 1, maxLength: 15 }),
        // A query with a direction (an all-zero one scores every document 0: a tie in any order).
        fc
          .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: DIMS, maxLength: DIMS })
          .filter((q) => Math.hypot(...q) > 0.1),
        fc.boolean(),
        fc.integer({ min: 1, max: N }),
        async (moves, query, filtered, k) => {
          for (const [index, to] of moves) await w.move([`d${index}`], to);
          const found = await search(query, {
            topK: k,
            includeCold: true,
            ...(filtered ? { filters: RED } : {}),
          });
          const expected = brute(query, filtered, k);
          expect(found.hits.map((h) => h.document.document_id)).toEqual(expected.map((e) => e.id));
          found.hits.forEach((h, i) => {
            expect(h.score).toBeCloseTo(expected[i]?.score ?? Number.NaN, 5);
            expect(h.sourceTier).toBe(h.document.tier);
          });
        },
      ),
      { numRuns: 60, seed: 4242 },
    );
  });
});
