import { METRICS } from "@strata/contracts";
import type { AppError, Result } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hit, HotIndex, HotRecord, HotSearch, HotSpace, Metric } from "../port.js";
import type { OpenHotIndex } from "./harness.js";
import { expectSameHits, freshSpace, randomRecords, referenceSearch, unwrap, upsertAll } from "./harness.js";

const DIMS = 24;
const TAGS = ["red", "green", "blue"] as const;

/** Payloads with numbers, strings, booleans, arrays and a sometimes-missing field. */
export function payloadOf(i: number): Record<string, unknown> {
  return {
    metadata: {
      year: 2000 + (i % 25),
      tag: TAGS[i % 3],
      labels: [`l${i % 4}`, `l${(i + 1) % 4}`],
      nums: [i % 5, 10 + (i % 7)],
      rating: ((i * 37) % 100) / 10,
      flag: i % 2 === 0,
      ...(i % 5 === 0 ? {} : { note: `n${i % 11}` }),
    },
  };
}

const c = (field: string, operator: string, value: unknown): BoundFilterNode =>
  ({ kind: "condition", field: `metadata.${field}`, operator, value }) as BoundFilterNode;

export const CONTRACT_FILTERS: readonly [string, BoundFilterNode][] = [
  ["eq string", c("tag", "eq", "red")],
  ["eq number", c("year", "eq", 2003)],
  ["eq bool", c("flag", "eq", false)],
  ["eq array element", c("labels", "eq", "l2")],
  ["contains array element (number)", c("nums", "contains", 12)],
  ["ne", c("tag", "ne", "blue")],
  ["in", c("year", "in", [2001, 2002, 2020])],
  ["nin", c("tag", "nin", ["red", "green"])],
  ["range gte/lt", { kind: "and", nodes: [c("year", "gte", 2010), c("year", "lt", 2014)] }],
  ["range on float", c("rating", "gt", 7.5)],
  ["or", { kind: "or", nodes: [c("tag", "eq", "red"), c("year", "lte", 2002)] }],
  ["not", { kind: "not", node: c("flag", "eq", true) }],
  ["exists true", c("note", "exists", true)],
  ["exists false", c("note", "exists", false)],
  [
    "nested and/or/not",
    {
      kind: "and",
      nodes: [
        { kind: "or", nodes: [c("labels", "eq", "l0"), c("nums", "eq", 3)] },
        { kind: "not", node: c("year", "in", [2000, 2001]) },
      ],
    },
  ],
  ["matches nothing", c("tag", "eq", "purple")],
];

export function searchContract(open: OpenHotIndex): void {
  describe("search", () => {
    let index: HotIndex;
    beforeAll(async () => {
      index = await open("search");
    });
    afterAll(() => index.close());

    for (const metric of METRICS) {
      it(`${metric}: the exact top-k, scores and order of a brute-force scan`, async () => {
        const space = freshSpace(metric, DIMS);
        const records = randomRecords(400, DIMS, 17);
        await upsertAll(index, space, records);
        for (const q of randomRecords(5, DIMS, 99)) {
          const hits = unwrap(await index.search(space, { vector: q.vector, k: 10 }));
          expectSameHits(hits, referenceSearch(records, metric, q.vector, 10));
        }
        // A stored vector finds itself first.
        const self = records[7];
        if (!self) throw new Error("no data");
        const [first] = unwrap(await index.search(space, { vector: self.vector, k: 1 }));
        if (metric !== "dot") expect(first?.id).toBe(self.id);
      });
    }

    filterCases(() => index);

    it("collectionIds restricts the search to those collections", async () => {
      const space = freshSpace("dot", DIMS);
      const records = randomRecords(300, DIMS, 31, (i) => ({ collectionId: `col_${i % 3}` }));
      await upsertAll(index, space, records);
      const query = randomRecords(1, DIMS, 8)[0]?.vector ?? [];
      // Every collection (and more) is the same as no restriction; a subset restricts.
      for (const ids of [["col_1"], ["col_0", "col_2"], ["col_none"], ["col_0", "col_1", "col_2", "col_x"]]) {
        const hits = unwrap(await index.search(space, { vector: query, k: 10, collectionIds: ids }));
        expectSameHits(hits, referenceSearch(records, "dot", query, 10, undefined, ids));
        const matching = records.filter((r) => ids.includes(r.collectionId)).length;
        expect(unwrap(await index.count(space, undefined, ids))).toBe(matching);
      }
      expect(unwrap(await index.search(space, { vector: query, k: 10, collectionIds: [] }))).toEqual([]);
      const filter = c("x", "exists", false);
      const both = unwrap(
        await index.search(space, { vector: query, k: 5, filter, collectionIds: ["col_2"] }),
      );
      expectSameHits(both, referenceSearch(records, "dot", query, 5, filter, ["col_2"]));
    });

    it("scoreThreshold drops hits scoring below it, for every metric", async () => {
      for (const metric of METRICS) {
        const space = freshSpace(metric, DIMS);
        const records = randomRecords(200, DIMS, 41);
        await upsertAll(index, space, records);
        const query = records[0]?.vector ?? [];
        const all = referenceSearch(records, metric, query, 50);
        // Between the 20th and 21st scores: a threshold equal to a score would test float rounding.
        const threshold = ((all[19]?.score ?? 0) + (all[20]?.score ?? 0)) / 2;
        const hits = unwrap(await index.search(space, { vector: query, k: 50, scoreThreshold: threshold }));
        expect(hits.every((h) => h.score >= threshold)).toBe(true);
        expectSameHits(hits, referenceSearch(records, metric, query, 50, undefined, undefined, threshold));
      }
    });

    it("namespaces never mix, even with the same feature URI, and dropping one leaves the other", async () => {
      const a: HotSpace = freshSpace("cosine", DIMS, "strata://shared@v1/embedding");
      const b: HotSpace = { ...freshSpace("cosine", DIMS, "strata://shared@v1/embedding") };
      const inA = randomRecords(50, DIMS, 1);
      const inB = randomRecords(70, DIMS, 2).map((r) => ({ ...r, id: `b_${r.id}` }));
      await upsertAll(index, a, inA);
      await upsertAll(index, b, inB);
      const query = inB[0]?.vector ?? [];
      const hitsA = unwrap(await index.search(a, { vector: query, k: 100 }));
      expect(hitsA.length).toBe(50);
      expect(hitsA.every((h) => !h.id.startsWith("b_"))).toBe(true);
      expect(unwrap(await index.count(b))).toBe(70);
      expect(unwrap(await index.get(a, [{ collectionId: "col_a", id: "b_doc_0" }]))).toEqual([]);
      unwrap(await index.dropNamespace(a.namespaceId));
      expect(unwrap(await index.count(a))).toBe(0);
      expect(unwrap(await index.count(b))).toBe(70);
      expectSameHits(
        unwrap(await index.search(b, { vector: query, k: 5 })),
        referenceSearch(inB, "cosine", query, 5),
      );
    });

    it("other metrics and dimensions of the same feature URI are separate spaces", async () => {
      const base = freshSpace("cosine", 4);
      const other: HotSpace = { ...base, metric: "euclidean" as Metric };
      unwrap(await index.upsert(base, [{ id: "x", collectionId: "c", vector: [1, 2, 3, 4], payload: {} }]));
      expect(unwrap(await index.count(other))).toBe(0);
    });
  });
}

/** What the filter cases need of an index: the hot and warm ports both have it. */
export interface FilterSearchable {
  upsert(space: HotSpace, records: readonly HotRecord[]): Promise<Result<void, AppError>>;
  search(space: HotSpace, query: HotSearch): Promise<Result<Hit[], AppError>>;
  count(space: HotSpace, filter?: BoundFilterNode): Promise<Result<number, AppError>>;
}

/** Every CONTRACT_FILTERS case: search and count give exactly the filtered brute-force answer. */
export function filterCases(index: () => FilterSearchable): void {
  describe("filters give exactly the filtered reference top-k and count", () => {
    const space = freshSpace("cosine", DIMS);
    let records: HotRecord[] = [];
    beforeAll(async () => {
      records = randomRecords(600, DIMS, 23, (i) => ({ payload: payloadOf(i) }));
      for (let i = 0; i < records.length; i += 200)
        unwrap(await index().upsert(space, records.slice(i, i + 200)));
    });
    const query = randomRecords(1, DIMS, 5)[0]?.vector ?? [];
    for (const [name, filter] of CONTRACT_FILTERS) {
      it(name, async () => {
        const expected = referenceSearch(records, "cosine", query, 10, filter);
        expectSameHits(unwrap(await index().search(space, { vector: query, k: 10, filter })), expected);
        const matching = referenceSearch(records, "cosine", query, records.length, filter).length;
        expect(unwrap(await index().count(space, filter))).toBe(matching);
      });
    }
  });
}
