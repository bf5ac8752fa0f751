import { beforeEach, describe, expect, it } from "vitest";
import type { Table, Where } from "../port.js";
import { type ContractContext, type Doc, idsOf } from "./harness.js";

/** Odd shapes on purpose: same-looking values of different types, null versus absent, arrays. */
const FIXTURE: readonly Doc[] = [
  {
    id: "r1",
    name: "alpha",
    n: 1,
    f: 1.5,
    b: true,
    tags: ["x", "y"],
    meta: { year: 2020, lang: "en" },
    nul: null,
  },
  { id: "r2", name: "beta", n: 2, b: false, tags: ["y"], meta: { year: 2021 }, num5: 5, items: [{ k: 1 }] },
  { id: "r3", name: "gamma", n: 3, tags: [], meta: { year: "2020" } },
  { id: "r4", name: "delta", n: "3", tags: "x", mixed: [1, "1", true, null] },
  { id: "r5", n: null, b: 1, meta: { lang: "fr" }, tags: [1, 2] },
];
const ALL = ["r1", "r2", "r3", "r4", "r5"];

/** [description, query, expected ids] */
const CASES: ReadonlyArray<readonly [string, Where, readonly string[]]> = [
  ["empty query", {}, ALL],
  ["bare equality", { name: "alpha" }, ["r1"]],
  ["number equality ignores numeric strings", { n: 3 }, ["r3"]],
  ["string equality ignores numbers", { n: { $eq: "3" } }, ["r4"]],
  ["true is not 1", { b: true }, ["r1"]],
  ["1 is not true", { b: 1 }, ["r5"]],
  ["false is not 0", { b: false }, ["r2"]],
  ["0 is not false", { b: 0 }, []],
  ["id is a field", { id: "r2" }, ["r2"]],
  ["id with $in", { id: { $in: ["r1", "r3", "zz"] } }, ["r1", "r3"]],
  ["$ne includes absent, null and other types", { n: { $ne: 3 } }, ["r1", "r2", "r4", "r5"]],
  ["$ne on a string", { name: { $ne: "alpha" } }, ["r2", "r3", "r4", "r5"]],
  ["$gt on numbers skips strings and null", { n: { $gt: 1 } }, ["r2", "r3"]],
  ["$gte", { n: { $gte: 2 } }, ["r2", "r3"]],
  ["$lt", { n: { $lt: 3 } }, ["r1", "r2"]],
  ["$lte", { n: { $lte: 3 } }, ["r1", "r2", "r3"]],
  ["$gt on strings skips numbers", { n: { $gt: "2" } }, ["r4"]],
  ["$lt on strings skips numbers", { n: { $lt: "9" } }, ["r4"]],
  ["string ranges", { name: { $gt: "beta" } }, ["r3", "r4"]],
  ["string $lte", { name: { $lte: "beta" } }, ["r1", "r2"]],
  ["floats", { f: { $gt: 1, $lt: 2 } }, ["r1"]],
  ["two operators on one field", { n: { $gt: 1, $lt: 3 } }, ["r2"]],
  ["nested field equality", { "meta.year": 2020 }, ["r1"]],
  ["nested field of another type", { "meta.year": "2020" }, ["r3"]],
  ["nested range", { "meta.year": { $gte: 2020 } }, ["r1", "r2"]],
  ["nested string", { "meta.lang": "fr" }, ["r5"]],
  ["$in mixes types strictly", { n: { $in: [1, 3] } }, ["r1", "r3"]],
  ["$in with a string", { n: { $in: [1, "3"] } }, ["r1", "r4"]],
  ["$in with booleans", { b: { $in: [true, 0] } }, ["r1"]],
  ["$in with null matches null", { n: { $in: [null, 2] } }, ["r2", "r5"]],
  ["$in with null matches absent", { name: { $in: [null] } }, ["r5"]],
  ["empty $in", { name: { $in: [] } }, []],
  ["$nin", { n: { $nin: [1, 2] } }, ["r3", "r4", "r5"]],
  ["$nin includes absent", { name: { $nin: ["alpha", "beta"] } }, ["r3", "r4", "r5"]],
  ["empty $nin", { name: { $nin: [] } }, ALL],
  ["$exists true skips null", { nul: { $exists: true } }, []],
  ["$exists false includes null and absent", { nul: { $exists: false } }, ALL],
  ["$exists true", { name: { $exists: true } }, ["r1", "r2", "r3", "r4"]],
  ["$exists false", { name: { $exists: false } }, ["r5"]],
  ["$exists true counts empty arrays", { tags: { $exists: true } }, ALL],
  ["$exists on a nested field", { "meta.lang": { $exists: true } }, ["r1", "r5"]],
  ["equality with null matches null", { n: null }, ["r5"]],
  ["equality with null matches absent", { name: { $eq: null } }, ["r5"]],
  ["$ne null", { n: { $ne: null } }, ["r1", "r2", "r3", "r4"]],
  ["$contains a string", { tags: { $contains: "x" } }, ["r1"]],
  ["$contains on several arrays", { tags: { $contains: "y" } }, ["r1", "r2"]],
  ["$contains a number", { tags: { $contains: 1 } }, ["r5"]],
  ["$contains is type-strict", { tags: { $contains: "1" } }, []],
  ["$contains true", { mixed: { $contains: true } }, ["r4"]],
  ["$contains null", { mixed: { $contains: null } }, ["r4"]],
  ["$contains does not look into objects", { meta: { $contains: "en" } }, []],
  ["$containsAny", { tags: { $containsAny: ["x", 2] } }, ["r1", "r5"]],
  ["$containsAny is type-strict", { tags: { $containsAny: ["1", "2", true] } }, []],
  ["$containsAny with true and null", { mixed: { $containsAny: [true, null] } }, ["r4"]],
  ["empty $containsAny", { tags: { $containsAny: [] } }, []],
  ["$containsAny looks only into arrays", { tags: { $containsAny: ["x"] }, name: "delta" }, []],
  ["$not of $containsAny", { $not: { tags: { $containsAny: ["y", 1] } } }, ["r3", "r4"]],
  [
    "an $or of equalities on one field",
    { $or: [{ n: 1 }, { n: "3" }, { n: { $in: [null] } }] },
    ["r1", "r4", "r5"],
  ],
  [
    "an $or of $contains on one field",
    { $or: [{ tags: { $contains: "x" } }, { tags: { $contains: 2 } }] },
    ["r1", "r5"],
  ],
  ["equality never matches an array", { tags: "x" }, ["r4"]],
  ["dotted paths do not reach into arrays", { "items.k": 1 }, []],
  ["a path through an array is absent", { "items.k": { $exists: false } }, ALL],
  ["range never matches an array", { tags: { $gte: 1 } }, []],
  ["$and", { $and: [{ n: { $gte: 1 } }, { n: { $lte: 2 } }] }, ["r1", "r2"]],
  ["empty $and", { $and: [] }, ALL],
  ["$or", { $or: [{ name: "alpha" }, { "meta.lang": "fr" }] }, ["r1", "r5"]],
  ["empty $or", { $or: [] }, []],
  ["$not", { $not: { name: "alpha" } }, ["r2", "r3", "r4", "r5"]],
  ["$not of $or", { $not: { $or: [{ n: 1 }, { n: 2 }] } }, ["r3", "r4", "r5"]],
  ["double $not", { $not: { $not: { name: "alpha" } } }, ["r1"]],
  ["fields and $or together", { b: { $exists: true }, $or: [{ n: 1 }, { n: null }] }, ["r1", "r5"]],
  [
    "nested combinations",
    { $or: [{ $and: [{ tags: { $contains: "y" } }, { $not: { b: true } }] }, { "meta.year": "2020" }] },
    ["r2", "r3"],
  ],
];

export function whereContract(ctx: ContractContext): void {
  describe("queries", () => {
    let t: Table<Doc>;
    beforeEach(async () => {
      t = ctx
        .store()
        .table<Doc>(await ctx.freshTable({ indexes: [{ fields: ["n"] }, { fields: ["meta.year"] }] }));
      for (const record of FIXTURE) await t.insert(record);
    });

    it.each(CASES)("%s", async (_name, where, expected) => {
      expect(idsOf(await t.find({ where }))).toEqual(expected);
      expect(await t.count(where)).toBe(expected.length);
    });

    // Callers expand filters (a taxonomy label and its descendants) into thousands of alternatives.
    it("answers an $or of 3,000 alternatives on one field", async () => {
      const labels = Array.from({ length: 3_000 }, (_, i) => `label_${i}`);
      const contains: Where = { $or: [...labels, "y"].map((v) => ({ tags: { $contains: v } })) };
      expect(idsOf(await t.find({ where: contains }))).toEqual(["r1", "r2"]);
      const equal: Where = {
        $or: [...labels, "beta"].map((v) => ({ $or: [{ name: v }, { tags: { $contains: v } }] })),
      };
      expect(idsOf(await t.find({ where: equal }))).toEqual(["r2"]);
      expect(await t.count({ $not: equal })).toBe(4);
    });

    it("answers $and and $or of 3,000 conditions on different fields", async () => {
      const ranges: Where[] = Array.from({ length: 3_000 }, (_, i) => ({ [`f${i}`]: { $gt: i } }));
      expect(idsOf(await t.find({ where: { $or: [...ranges, { name: "gamma" }] } }))).toEqual(["r3"]);
      const absent: Where[] = Array.from({ length: 3_000 }, (_, i) => ({ [`f${i}`]: { $exists: false } }));
      expect(idsOf(await t.find({ where: { $and: [...absent, { n: { $lt: 3 } }] } }))).toEqual(["r1", "r2"]);
    });

    it("deleteMany removes exactly what a query finds", async () => {
      expect(await t.deleteMany({ $or: [{ n: { $lt: 2 } }, { tags: { $contains: 2 } }] })).toBe(2);
      expect(idsOf(await t.find())).toEqual(["r2", "r3", "r4"]);
    });
  });

  describe("ordering and limits", () => {
    let t: Table<Doc>;
    beforeEach(async () => {
      t = ctx.store().table<Doc>(await ctx.freshTable({ indexes: [{ fields: ["grp", "name"] }] }));
      const rows: Doc[] = [
        { id: "e", grp: 2, name: "alpha" },
        { id: "b", grp: 1, name: "delta" },
        { id: "d", grp: 1, name: "beta" },
        { id: "a", grp: 1, name: "delta" },
        { id: "c", grp: 3 },
      ];
      for (const row of rows) await t.insert(row);
    });

    it("without orderBy returns records by id", async () => {
      expect(idsOf(await t.find())).toEqual(["a", "b", "c", "d", "e"]);
    });

    it("sorts ascending with ties broken by id", async () => {
      expect(idsOf(await t.find({ orderBy: [{ field: "grp", direction: "asc" }] }))).toEqual([
        "a",
        "b",
        "d",
        "e",
        "c",
      ]);
    });

    it("sorts descending with ties still broken by id ascending", async () => {
      expect(idsOf(await t.find({ orderBy: [{ field: "grp", direction: "desc" }] }))).toEqual([
        "c",
        "e",
        "a",
        "b",
        "d",
      ]);
    });

    it("sorts by several fields", async () => {
      const orderBy = [
        { field: "grp", direction: "asc" },
        { field: "name", direction: "desc" },
      ] as const;
      expect(idsOf(await t.find({ orderBy }))).toEqual(["a", "b", "d", "e", "c"]);
    });

    it("puts absent values first ascending and last descending", async () => {
      expect(idsOf(await t.find({ orderBy: [{ field: "name", direction: "asc" }] }))).toEqual([
        "c",
        "e",
        "d",
        "a",
        "b",
      ]);
      expect(idsOf(await t.find({ orderBy: [{ field: "name", direction: "desc" }] }))).toEqual([
        "a",
        "b",
        "d",
        "e",
        "c",
      ]);
    });

    it("sorts by id descending", async () => {
      expect(idsOf(await t.find({ orderBy: [{ field: "id", direction: "desc" }] }))).toEqual([
        "e",
        "d",
        "c",
        "b",
        "a",
      ]);
    });

    it("limits after filtering and sorting", async () => {
      const found = await t.find({
        where: { grp: { $lt: 3 } },
        orderBy: [{ field: "name", direction: "asc" }],
        limit: 2,
      });
      expect(idsOf(found)).toEqual(["e", "d"]);
      expect(await t.find({ limit: 0 })).toEqual([]);
      expect(idsOf(await t.find({ limit: 10 }))).toHaveLength(5);
    });
  });
}
