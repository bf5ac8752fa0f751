import { METRICS } from "@strata/contracts";
import type { BoundFilterNode } from "@strata/filter";
import { compileVisibility } from "@strata/filter";
import type { HotRecord } from "@strata/hotindex";
import { filterCases, payloadOf } from "@strata/hotindex/contract-filters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WarmIndex } from "../port.js";
import type { OpenWarmIndex } from "./harness.js";
import { expectSameHits, freshSpace, randomRecords, referenceSearch, unwrap } from "./harness.js";

const DIMS = 24;

async function upsertAll(
  index: WarmIndex,
  space: Parameters<WarmIndex["upsert"]>[0],
  records: readonly HotRecord[],
) {
  for (let i = 0; i < records.length; i += 200) unwrap(await index.upsert(space, records.slice(i, i + 200)));
}

/** `_acl` as the namespace service stores it on vector payloads (DESIGN §7, ADR 0018). */
function aclPayload(i: number): Record<string, unknown> {
  return {
    collection_id: i % 2 === 0 ? "col_a" : "col_b",
    _acl: {
      owner: `prn_${i % 7}`,
      read: i % 3 === 0 ? ["prn_reader", "role:analyst"] : [`prn_${(i + 1) % 7}`],
      write: [`prn_${i % 7}`],
      public: i % 10 === 0,
    },
    metadata: payloadOf(i).metadata,
  };
}

export function searchContract(open: OpenWarmIndex): void {
  describe("search", () => {
    let index: WarmIndex;
    beforeAll(async () => {
      index = await open("search");
    });
    afterAll(() => index.close());

    for (const metric of METRICS) {
      it(`${metric}: the exact top-k, scores and order of a brute-force scan (when supported)`, async () => {
        const space = freshSpace(metric, DIMS);
        if (!index.supportsMetric(metric)) {
          const refused = await index.ensureSpace(space);
          expect(refused.ok ? undefined : refused.error.kind).toBe("validation");
          return;
        }
        const records = randomRecords(400, DIMS, 17);
        await upsertAll(index, space, records);
        for (const q of randomRecords(5, DIMS, 99)) {
          const hits = unwrap(await index.search(space, { vector: q.vector, k: 10 }));
          expectSameHits(hits, referenceSearch(records, metric, q.vector, 10));
        }
      });
    }

    filterCases(() => index);

    it("applies a compiled visibility filter exactly as the hot index does (ACL-shaped payloads)", async () => {
      const space = freshSpace("cosine", DIMS);
      const records = randomRecords(300, DIMS, 31, (i) => ({
        collectionId: i % 2 === 0 ? "col_a" : "col_b",
        payload: aclPayload(i),
      }));
      await upsertAll(index, space, records);
      const deny: BoundFilterNode = {
        kind: "condition",
        field: "metadata.tag",
        operator: "eq",
        value: "red",
      };
      const visibility = compileVisibility([{ effect: "deny", condition: deny, collectionIds: ["col_b"] }], {
        principalId: "prn_reader",
        roles: ["analyst"],
        attributes: {},
      });
      const query = randomRecords(1, DIMS, 8)[0]?.vector ?? [];
      const expected = referenceSearch(records, "cosine", query, 20, visibility);
      expect(expected.length).toBeGreaterThan(5);
      expectSameHits(
        unwrap(await index.search(space, { vector: query, k: 20, filter: visibility })),
        expected,
      );
      const nobody = compileVisibility([], { roles: [], attributes: {} });
      expect(unwrap(await index.search(space, { vector: query, k: 20, filter: nobody }))).toEqual([]);
    });

    it("collectionIds restricts search and count", async () => {
      const space = freshSpace("cosine", DIMS);
      const records = randomRecords(200, DIMS, 41, (i) => ({ collectionId: `col_${i % 4}` }));
      await upsertAll(index, space, records);
      const query = randomRecords(1, DIMS, 3)[0]?.vector ?? [];
      const only = ["col_1", "col_3"];
      const expected = referenceSearch(records, "cosine", query, 15, undefined, only);
      expectSameHits(
        unwrap(await index.search(space, { vector: query, k: 15, collectionIds: only })),
        expected,
      );
      expect(unwrap(await index.count(space, undefined, only))).toBe(100);
    });

    it("scoreThreshold drops hits scoring below it", async () => {
      const space = freshSpace("euclidean", DIMS);
      const records = randomRecords(200, DIMS, 43);
      await upsertAll(index, space, records);
      const query = randomRecords(1, DIMS, 4)[0]?.vector ?? [];
      const all = referenceSearch(records, "euclidean", query, 200);
      const threshold = all[12]?.score ?? 0;
      const expected = referenceSearch(records, "euclidean", query, 50, undefined, undefined, threshold);
      expect(expected.length).toBe(13);
      expectSameHits(
        unwrap(await index.search(space, { vector: query, k: 50, scoreThreshold: threshold })),
        expected,
      );
    });

    it("k beyond 100 gives the exact top-k (with and without a filter)", async () => {
      const space = freshSpace("cosine", DIMS);
      const records = randomRecords(700, DIMS, 47, (i) => ({ payload: payloadOf(i) }));
      await upsertAll(index, space, records);
      const query = randomRecords(1, DIMS, 6)[0]?.vector ?? [];
      expectSameHits(
        unwrap(await index.search(space, { vector: query, k: 250 })),
        referenceSearch(records, "cosine", query, 250),
      );
      const filter: BoundFilterNode = {
        kind: "condition",
        field: "metadata.flag",
        operator: "eq",
        value: true,
      };
      expectSameHits(
        unwrap(await index.search(space, { vector: query, k: 300, filter })),
        referenceSearch(records, "cosine", query, 300, filter),
      );
    });

    it("namespaces never mix, even with the same feature URI, and dropping one leaves the other", async () => {
      const a = freshSpace("cosine", DIMS);
      const b = freshSpace("cosine", DIMS);
      const records = randomRecords(50, DIMS, 53);
      await upsertAll(index, a, records);
      await upsertAll(index, b, records.slice(0, 10));
      const query = records[0]?.vector ?? [];
      expect(unwrap(await index.search(b, { vector: query, k: 100 })).length).toBe(10);
      expect(unwrap(await index.count(a))).toBe(50);
      unwrap(await index.dropNamespace(b.namespaceId));
      expect(unwrap(await index.count(b))).toBe(0);
      expect(unwrap(await index.search(b, { vector: query, k: 5 }))).toEqual([]);
      expect(unwrap(await index.stats(b)).spaces).toEqual([]);
      expect(unwrap(await index.count(a))).toBe(50);
      expect(unwrap(await index.search(a, { vector: query, k: 1 }))[0]?.id).toBe(records[0]?.id);
    });
  });
}
