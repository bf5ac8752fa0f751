import { describe, expect, it } from "vitest";
import type { OpenWarmIndex, WarmIndexContractOptions } from "./harness.js";
import { expectSameHits, freshSpace, randomRecords, referenceSearch, unwrap } from "./harness.js";

export function persistenceContract(open: OpenWarmIndex, options: WarmIndexContractOptions): void {
  describe.skipIf(!options.persistent)("persistence", () => {
    it("keeps upserts, replaces and deletes across a reopen, and lists the space in stats", async () => {
      const space = freshSpace("cosine", 12);
      const records = randomRecords(120, 12, 61, (i) => ({ payload: { metadata: { n: i } } }));
      const first = await open("persist");
      unwrap(await first.upsert(space, records.slice(0, 60)));
      unwrap(await first.upsert(space, records.slice(60)));
      const replaced = {
        ...records[0],
        id: "doc_0",
        collectionId: "col_a",
        vector: records[1]?.vector ?? [],
        payload: { v: 2 },
      };
      unwrap(await first.upsert(space, [replaced]));
      unwrap(await first.delete(space, [{ collectionId: "col_a", id: "doc_5" }]));
      await first.close();

      const second = await open("persist");
      try {
        expect(unwrap(await second.count(space))).toBe(119);
        const expectedRecords = records
          .filter((r) => r.id !== "doc_5" && r.id !== "doc_0")
          .concat([replaced]);
        const query = randomRecords(1, 12, 2)[0]?.vector ?? [];
        expectSameHits(
          unwrap(await second.search(space, { vector: query, k: 30 })),
          referenceSearch(expectedRecords, "cosine", query, 30),
        );
        expect(unwrap(await second.get(space, [{ collectionId: "col_a", id: "doc_0" }]))[0]?.payload).toEqual(
          { v: 2 },
        );
        const all = unwrap(await second.stats());
        expect(all.spaces.find((s) => s.space.namespaceId === space.namespaceId)?.count).toBe(119);
      } finally {
        await second.close();
      }
    });
  });
}
