import { describe, expect, it } from "vitest";
import type { HotIndex } from "../port.js";
import type { OpenHotIndex } from "./harness.js";
import { closeTo, freshSpace, randomRecords, unwrap, upsertAll } from "./harness.js";

export function crudContract(open: OpenHotIndex): void {
  describe("writes and reads", () => {
    const withIndex = async (work: (index: HotIndex) => Promise<void>) => {
      const index = await open("crud");
      try {
        await work(index);
      } finally {
        await index.close();
      }
    };

    it("upserts, gets (in the order asked, unknown left out), counts and deletes", () =>
      withIndex(async (index) => {
        const space = freshSpace("euclidean", 8);
        const records = randomRecords(5, 8, 11, (i) => ({ payload: { metadata: { n: i } } }));
        unwrap(await index.upsert(space, records));
        expect(unwrap(await index.count(space))).toBe(5);
        // Stats of one space report that space alone; a space never written reports nothing.
        const one = unwrap(await index.stats(space));
        expect(one.spaces.map((s) => [s.space.namespaceId, s.count])).toEqual([[space.namespaceId, 5]]);
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
        expect(got[0]?.payload).toEqual({ metadata: { n: 3 } });
        const original = records[3]?.vector ?? [];
        expect(Array.from(got[0]?.vector ?? []).every((x, d) => closeTo(x, original[d] ?? Number.NaN))).toBe(
          true,
        );

        expect(
          unwrap(
            await index.delete(space, [
              { collectionId: "col_a", id: "doc_3" },
              { collectionId: "col_a", id: "nope" },
            ]),
          ),
        ).toBe(1);
        expect(unwrap(await index.count(space))).toBe(4);
        expect(unwrap(await index.get(space, [{ collectionId: "col_a", id: "doc_3" }]))).toEqual([]);
        expect(unwrap(await index.delete(space, [{ collectionId: "col_a", id: "doc_3" }]))).toBe(0);
      }));

    it("keys vectors by (collection, id): the same id in two collections is two vectors", () =>
      withIndex(async (index) => {
        const space = freshSpace("dot", 4);
        const [a, b] = randomRecords(2, 4, 5);
        if (!a || !b) throw new Error("no data");
        unwrap(await index.upsert(space, [a, { ...b, id: a.id, collectionId: "col_b" }]));
        expect(unwrap(await index.count(space))).toBe(2);
        expect(unwrap(await index.count(space, undefined, ["col_b"]))).toBe(1);
        expect(unwrap(await index.deleteWhere(space, { collectionId: "col_b" }))).toBe(1);
        expect(unwrap(await index.get(space, [{ collectionId: "col_a", id: a.id }])).length).toBe(1);
        expect(unwrap(await index.get(space, [{ collectionId: "col_b", id: a.id }])).length).toBe(0);
      }));

    it("re-upserting an id replaces its vector and payload", () =>
      withIndex(async (index) => {
        const space = freshSpace("cosine", 4);
        unwrap(
          await index.upsert(space, [
            { id: "x", collectionId: "c", vector: [1, 0, 0, 0], payload: { v: 1 } },
          ]),
        );
        unwrap(
          await index.upsert(space, [
            { id: "x", collectionId: "c", vector: [0, 1, 0, 0], payload: { v: 2 } },
          ]),
        );
        expect(unwrap(await index.count(space))).toBe(1);
        const hits = unwrap(await index.search(space, { vector: [1, 0, 0, 0], k: 5 }));
        expect(hits.map((h) => [h.id, h.payload])).toEqual([["x", { v: 2 }]]);
        expect(closeTo(hits[0]?.score ?? Number.NaN, 0)).toBe(true);
        const [got] = unwrap(await index.get(space, [{ collectionId: "c", id: "x" }]));
        expect(Array.from(got?.vector ?? [])).toEqual([0, 1, 0, 0]);
      }));

    it("never returns deleted vectors", () =>
      withIndex(async (index) => {
        const space = freshSpace("cosine", 8);
        const records = randomRecords(60, 8, 3);
        await upsertAll(index, space, records);
        unwrap(
          await index.delete(
            space,
            records.filter((_, i) => i % 2 === 0).map((r) => ({ collectionId: r.collectionId, id: r.id })),
          ),
        );
        const hits = unwrap(await index.search(space, { vector: records[0]?.vector ?? [], k: 60 }));
        expect(hits.length).toBe(30);
        expect(hits.every((h) => Number(h.id.slice(4)) % 2 === 1)).toBe(true);
        unwrap(await index.deleteWhere(space, { collectionId: "col_a" }));
        expect(unwrap(await index.search(space, { vector: records[0]?.vector ?? [], k: 10 }))).toEqual([]);
        expect(unwrap(await index.count(space))).toBe(0);
      }));

    it("rejects a wrong dimension or a non-finite number as a validation error, writing nothing", () =>
      withIndex(async (index) => {
        const space = freshSpace("cosine", 4);
        const good = { id: "ok", collectionId: "c", vector: [1, 2, 3, 4], payload: {} };
        const wrong = await index.upsert(space, [
          good,
          { id: "bad", collectionId: "c", vector: [1, 2, 3], payload: {} },
        ]);
        expect(wrong.ok ? "ok" : wrong.error.kind).toBe("validation");
        const nan = await index.upsert(space, [
          { id: "nan", collectionId: "c", vector: [1, Number.NaN, 3, 4], payload: {} },
        ]);
        expect(nan.ok ? "ok" : nan.error.kind).toBe("validation");
        const inf = await index.upsert(space, [
          { id: "inf", collectionId: "c", vector: [1, Number.POSITIVE_INFINITY, 3, 4], payload: {} },
        ]);
        expect(inf.ok ? "ok" : inf.error.kind).toBe("validation");
        expect(unwrap(await index.count(space))).toBe(0);
        const search = await index.search(space, { vector: [1, 2], k: 3 });
        expect(search.ok ? "ok" : search.error.kind).toBe("validation");
        const badK = await index.search(space, { vector: [1, 2, 3, 4], k: 0 });
        expect(badK.ok ? "ok" : badK.error.kind).toBe("validation");
      }));
  });
}
