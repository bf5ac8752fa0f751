import type { BoundFilterNode } from "@strata/filter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusteredVectors } from "../clustered-vectors.js";
import type { HotIndex, HotRecord } from "../port.js";
import { exactScore } from "../scoring.js";
import type { OpenHotIndex } from "./harness.js";
import { closeTo, expectSameHits, freshSpace, referenceSearch, unwrap, upsertAll } from "./harness.js";

const COUNT = 20_000;
const DIMS = 96;

/**
 * 20,000 clustered vectors: recall of the approximate path once the background graph is built, and
 * the selective-filter guarantee (k matches exist → exactly the k best, never fewer).
 */
export function scaleContract(open: OpenHotIndex): void {
  describe(`${COUNT} clustered vectors`, () => {
    const space = freshSpace("cosine", DIMS);
    const data = clusteredVectors({ count: COUNT, dimensions: DIMS, clusters: 40, seed: 13 });
    const queries = data.queries(40, 1_013);
    const records: HotRecord[] = Array.from({ length: COUNT }, (_, i) => ({
      id: `doc_${i}`,
      collectionId: i < 150 ? "col_small" : "col_big",
      vector: data.vector(i),
      payload: { bucket: i % 100, seq: i, cluster: data.cluster[i] ?? 0 },
    }));
    let index: HotIndex;

    beforeAll(async () => {
      index = await open("scale");
      await upsertAll(index, space, records);
    }, 300_000);
    afterAll(() => index.close());

    const selective: [string, BoundFilterNode][] = [
      ["1% by equality", { kind: "condition", field: "bucket", operator: "eq", value: 42 }],
      ["0.5% by range", { kind: "condition", field: "seq", operator: "gte", value: COUNT - 100 }],
      [
        "1% by equality and a range",
        {
          kind: "and",
          nodes: [
            { kind: "condition", field: "bucket", operator: "in", value: [3, 4] },
            { kind: "condition", field: "seq", operator: "lt", value: COUNT / 2 },
          ],
        },
      ],
    ];

    it("selective filters return exactly the reference top-k, before and after the graph is built", async () => {
      for (const phase of ["appendable", "indexed"]) {
        if (phase === "indexed") await index.waitForIndexing();
        for (const [name, filter] of selective) {
          for (let q = 0; q < 5; q++) {
            const query = queries.vector(q);
            const hits = unwrap(await index.search(space, { vector: query, k: 10, filter }));
            expect(hits.length, `${phase} ${name}`).toBe(10);
            expectSameHits(hits, referenceSearch(records, "cosine", query, 10, filter));
          }
        }
        const hits = unwrap(
          await index.search(space, { vector: queries.vector(0), k: 10, collectionIds: ["col_small"] }),
        );
        expectSameHits(
          hits,
          referenceSearch(records, "cosine", queries.vector(0), 10, undefined, ["col_small"]),
        );
      }
    }, 300_000);

    it("recall@10 ≥ 0.95 once the background graph is built, with exact scores", async () => {
      await index.waitForIndexing();
      let found = 0;
      for (let q = 0; q < queries.cluster.length; q++) {
        const query = queries.vector(q);
        const hits = unwrap(await index.search(space, { vector: query, k: 10 }));
        const expected = new Set(referenceSearch(records, "cosine", query, 10).map((e) => e.id));
        found += hits.filter((h) => expected.has(h.id)).length;
        for (const h of hits) {
          const stored = data.vector(Number(h.id.slice(4)));
          expect(closeTo(h.score, exactScore("cosine", query, stored))).toBe(true);
        }
      }
      expect(found / (queries.cluster.length * 10)).toBeGreaterThanOrEqual(0.95);
    }, 300_000);
  });
}
