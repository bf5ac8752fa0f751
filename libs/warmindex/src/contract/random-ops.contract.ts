import type { BoundFilterNode } from "@strata/filter";
import type { HotRecord } from "@strata/hotindex";
import { describe, expect, it } from "vitest";
import type { OpenWarmIndex } from "./harness.js";
import { expectSameHits, freshSpace, randomRecords, referenceSearch, unwrap, withIndex } from "./harness.js";

/**
 * Random upserts, replaces, deletes and collection deletes (enough of them to go through the
 * embedded adapter's compaction), checked against an in-memory model with brute-force search.
 */
export function randomOpsContract(open: OpenWarmIndex): void {
  describe("random operations", () => {
    it("agrees with a brute-force model after every round", () =>
      withIndex(open, "random", async (index) => {
        const dims = 10;
        const space = freshSpace("euclidean", dims);
        const model = new Map<string, HotRecord>();
        const pool = randomRecords(400, dims, 71, (i) => ({
          collectionId: `col_${i % 3}`,
          payload: { metadata: { n: i % 10, even: i % 2 === 0 } },
        }));
        let state = 12345;
        const random = (n: number) => {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          return state % n;
        };
        const filter: BoundFilterNode = { kind: "condition", field: "metadata.n", operator: "lt", value: 6 };
        for (let round = 0; round < 12; round++) {
          const batch = Array.from(
            { length: 20 + random(60) },
            () => pool[random(pool.length)] as HotRecord,
          ).map((r) => ({
            ...r,
            // Now and then a replace with a new vector (a fresh one: equal vectors would tie in score).
            vector:
              random(4) === 0
                ? Float32Array.from(r.vector, (x, d) => x * 0.9 + ((round * 7 + d) % 5) / 97)
                : r.vector,
          }));
          unwrap(await index.upsert(space, batch));
          for (const r of batch) model.set(`${r.collectionId}/${r.id}`, r);
          const doomed = Array.from({ length: random(25) }, () => pool[random(pool.length)] as HotRecord);
          const expectedRemoved = new Set(
            doomed.map((r) => `${r.collectionId}/${r.id}`).filter((k) => model.has(k)),
          ).size;
          expect(unwrap(await index.delete(space, doomed))).toBe(expectedRemoved);
          for (const r of doomed) model.delete(`${r.collectionId}/${r.id}`);
          if (round === 7) {
            const gone = [...model.values()].filter((r) => r.collectionId === "col_2").length;
            expect(unwrap(await index.deleteWhere(space, { collectionId: "col_2" }))).toBe(gone);
            for (const [k, r] of model) if (r.collectionId === "col_2") model.delete(k);
          }
          const records = [...model.values()];
          expect(unwrap(await index.count(space))).toBe(records.length);
          const query = (pool[random(pool.length)] as HotRecord).vector;
          expectSameHits(
            unwrap(await index.search(space, { vector: query, k: 15 })),
            referenceSearch(records, "euclidean", query, 15),
          );
          expectSameHits(
            unwrap(await index.search(space, { vector: query, k: 15, filter })),
            referenceSearch(records, "euclidean", query, 15, filter),
          );
        }
      }));
  });
}
