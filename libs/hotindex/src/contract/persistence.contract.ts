import { describe, expect, it } from "vitest";
import type { HotIndexContractOptions, OpenHotIndex } from "./harness.js";
import { expectSameHits, freshSpace, randomRecords, referenceSearch, unwrap, upsertAll } from "./harness.js";

export function persistenceContract(open: OpenHotIndex, options: HotIndexContractOptions): void {
  describe.skipIf(!options.persistent)("persistence", () => {
    it("keeps writes acknowledged just before close (not yet in the graph) across a reopen", async () => {
      const space = freshSpace("cosine", 32);
      const records = randomRecords(3000, 32, 51, (i) => ({ payload: { i } }));
      const first = await open("persist-appendable");
      await upsertAll(first, space, records, 500);
      unwrap(await first.delete(space, [{ collectionId: "col_a", id: "doc_9" }]));
      const query = records[100]?.vector ?? [];
      const before = unwrap(await first.search(space, { vector: query, k: 10 }));
      await first.close();

      const second = await open("persist-appendable");
      try {
        expect(unwrap(await second.count(space))).toBe(2999);
        expectSameHits(
          unwrap(await second.search(space, { vector: query, k: 10 })),
          before.map((h) => ({ ...h })),
        );
        const [got] = unwrap(await second.get(space, [{ collectionId: "col_a", id: "doc_100" }]));
        expect(got?.payload).toEqual({ i: 100 });
        expect(unwrap(await second.get(space, [{ collectionId: "col_a", id: "doc_9" }]))).toEqual([]);
      } finally {
        await second.close();
      }
    });

    it("keeps the built graph and later deletes across a reopen", async () => {
      const space = freshSpace("euclidean", 32);
      const records = randomRecords(6000, 32, 52);
      const first = await open("persist-graph");
      await upsertAll(first, space, records);
      await first.waitForIndexing();
      const removed = records.slice(0, 100).map((r) => ({ collectionId: r.collectionId, id: r.id }));
      unwrap(await first.delete(space, removed));
      await first.close();

      const second = await open("persist-graph");
      try {
        const live = records.slice(100);
        if (options.reportsIndexing) {
          // Straight after opening, before any background work: the graph came from the snapshot.
          const stats = unwrap(await second.stats()).spaces.find(
            (s) => s.space.namespaceId === space.namespaceId,
          );
          expect(stats?.count).toBe(5900);
          expect(stats?.indexed).toBe(5900);
        }
        const query = records[0]?.vector ?? [];
        const hits = unwrap(await second.search(space, { vector: query, k: 10 }));
        expect(hits.some((h) => removed.some((r) => r.id === h.id))).toBe(false);
        const expected = referenceSearch(live, "euclidean", query, 10);
        expect(hits.filter((h) => expected.some((e) => e.id === h.id)).length).toBeGreaterThanOrEqual(9);
      } finally {
        await second.close();
      }
    });
  });
}
