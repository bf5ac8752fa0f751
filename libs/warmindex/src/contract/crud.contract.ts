import { describe, expect, it } from "vitest";
import type { OpenWarmIndex } from "./harness.js";
import { closeTo, freshSpace, randomRecords, unwrap, withIndex } from "./harness.js";

export function crudContract(open: OpenWarmIndex): void {
  describe("writes and reads", () => {
    it("upserts, gets (in the order asked, unknown left out), counts, stats and deletes", () =>
      withIndex(open, "crud", async (index) => {
        const space = freshSpace("euclidean", 8);
        unwrap(await index.ensureSpace(space));
        unwrap(await index.ensureSpace(space));
        expect(unwrap(await index.count(space))).toBe(0);
        const records = randomRecords(5, 8, 11, (i) => ({ payload: { metadata: { n: i, tag: `t${i}` } } }));
        unwrap(await index.upsert(space, records));
        expect(unwrap(await index.count(space))).toBe(5);
        const one = unwrap(await index.stats(space));
        expect(one.spaces.map((s) => [s.space.namespaceId, s.count, s.vectorBytes])).toEqual([
          [space.namespaceId, 5, 5 * 8 * 4],
        ]);
        expect(one.vectors).toBe(5);
        expect(unwrap(await index.stats(freshSpace("euclidean", 8))).spaces).toEqual([]);
        const got = unwrap(
          await index.get(space, [
            { collectionId: "col_a", id: "doc_3" },
            { collectionId: "col_a", id: "missing" },
            { collectionId: "col_b", id: "doc_1" },
            { collectionId: "col_a", id: "doc_1" },
          ]),
        );
        expect(got.map((g) => g.id)).toEqual(["doc_3", "doc_1"]);
        expect(got[0]?.payload).toEqual({ metadata: { n: 3, tag: "t3" } });
        expect(got[0]?.vector).toBeInstanceOf(Float32Array);
        const original = records[3]?.vector ?? [];
        expect(Array.from(got[0]?.vector ?? []).every((x, d) => closeTo(x, original[d] ?? Number.NaN))).toBe(
          true,
        );

        const refs = [
          { collectionId: "col_a", id: "doc_3" },
          { collectionId: "col_a", id: "nope" },
        ];
        expect(unwrap(await index.delete(space, refs))).toBe(1);
        expect(unwrap(await index.count(space))).toBe(4);
        expect(unwrap(await index.get(space, [{ collectionId: "col_a", id: "doc_3" }]))).toEqual([]);
        expect(unwrap(await index.delete(space, [{ collectionId: "col_a", id: "doc_3" }]))).toBe(0);
      }));

    it("keys vectors by (collection, id), and deleteWhere removes one collection only", () =>
      withIndex(open, "crud", async (index) => {
        const space = freshSpace("cosine", 4);
        const [a, b, c] = randomRecords(3, 4, 5);
        if (!a || !b || !c) throw new Error("no data");
        unwrap(
          await index.upsert(space, [
            a,
            { ...b, id: a.id, collectionId: "col_b" },
            { ...c, collectionId: "col_b" },
          ]),
        );
        expect(unwrap(await index.count(space))).toBe(3);
        expect(unwrap(await index.count(space, undefined, ["col_b"]))).toBe(2);
        expect(unwrap(await index.deleteWhere(space, { collectionId: "col_b" }))).toBe(2);
        expect(unwrap(await index.deleteWhere(space, { collectionId: "col_b" }))).toBe(0);
        expect(unwrap(await index.get(space, [{ collectionId: "col_a", id: a.id }])).length).toBe(1);
        expect(unwrap(await index.get(space, [{ collectionId: "col_b", id: a.id }])).length).toBe(0);
        expect(unwrap(await index.count(space))).toBe(1);
      }));

    it("re-upserting an id replaces its vector and payload (also within one call: the last wins)", () =>
      withIndex(open, "crud", async (index) => {
        const space = freshSpace("cosine", 4);
        const x = (v: number, vector: number[]) => ({ id: "x", collectionId: "c", vector, payload: { v } });
        unwrap(await index.upsert(space, [x(1, [1, 0, 0, 0])]));
        unwrap(await index.upsert(space, [x(2, [0, 0, 1, 0]), x(3, [0, 1, 0, 0])]));
        expect(unwrap(await index.count(space))).toBe(1);
        const hits = unwrap(await index.search(space, { vector: [0, 1, 0, 0], k: 5 }));
        expect(hits.map((h) => [h.id, h.payload])).toEqual([["x", { v: 3 }]]);
        expect(closeTo(hits[0]?.score ?? 0, 1)).toBe(true);
      }));

    it("rejects bad input with a validation error and writes nothing", () =>
      withIndex(open, "crud", async (index) => {
        const space = freshSpace("cosine", 4);
        const bad = await index.upsert(space, [
          { id: "a", collectionId: "c", vector: [1, 0, 0, 0], payload: {} },
          { id: "b", collectionId: "c", vector: [1, 0, 0], payload: {} },
        ]);
        expect(bad.ok ? undefined : bad.error.kind).toBe("validation");
        expect(unwrap(await index.count(space))).toBe(0);
        const k = await index.search(space, { vector: [1, 0, 0, 0], k: 0 });
        expect(k.ok ? undefined : k.error.kind).toBe("validation");
        const dims = await index.search(space, { vector: [1, 0], k: 1 });
        expect(dims.ok ? undefined : dims.error.kind).toBe("validation");
      }));

    it("an empty or unknown space reads as empty", () =>
      withIndex(open, "crud", async (index) => {
        const space = freshSpace("euclidean", 4);
        expect(unwrap(await index.search(space, { vector: [1, 0, 0, 0], k: 3 }))).toEqual([]);
        expect(unwrap(await index.get(space, [{ collectionId: "c", id: "x" }]))).toEqual([]);
        expect(unwrap(await index.delete(space, [{ collectionId: "c", id: "x" }]))).toBe(0);
        expect(unwrap(await index.deleteWhere(space, { collectionId: "c" }))).toBe(0);
      }));
  });
}
