import { describe, expect, it } from "vitest";
import { parseWhere } from "../where-ast.js";
import { orderToSort, whereToFilter } from "./where-filter.js";

// Shape checks only: the semantics are proven by the contract suite against a real mongod.
describe("Mongo filter translation", () => {
  it("guards equality against array traversal on the field and its prefixes", () => {
    expect(whereToFilter(parseWhere({ "meta.year": 2020 }))).toEqual({
      $and: [
        { meta: { $not: { $type: "array" } } },
        { "meta.year": { $eq: 2020, $not: { $type: "array" } } },
      ],
    });
  });

  it("maps id to _id and negations to $nor", () => {
    expect(whereToFilter(parseWhere({ id: { $ne: "a" } }))).toEqual({
      $nor: [{ _id: { $eq: "a", $not: { $type: "array" } } }],
    });
  });

  it("turns empty $or and empty $in into a filter that matches nothing", () => {
    expect(whereToFilter(parseWhere({ $or: [] }))).toEqual({ _id: { $in: [] } });
    expect(whereToFilter(parseWhere({ n: { $in: [] } }))).toEqual({ _id: { $in: [] } });
  });

  it("uses $elemMatch for $contains", () => {
    expect(whereToFilter(parseWhere({ tags: { $contains: "x" } }))).toEqual({
      tags: { $elemMatch: { $eq: "x" } },
    });
  });

  it("uses $elemMatch with $in for $containsAny, and an $or of equalities on one field becomes one set", () => {
    expect(whereToFilter(parseWhere({ tags: { $containsAny: ["x", 1] } }))).toEqual({
      tags: { $elemMatch: { $in: ["x", 1] } },
    });
    expect(whereToFilter(parseWhere({ tags: { $containsAny: [] } }))).toEqual({ _id: { $in: [] } });
    const wide = { $or: ["a", "b", "c"].map((v) => ({ $or: [{ t: v }, { t: { $contains: v } }] })) };
    expect(whereToFilter(parseWhere(wide))).toEqual({
      $or: [
        { t: { $in: ["a", "b", "c"], $not: { $type: "array" } } },
        { t: { $elemMatch: { $in: ["a", "b", "c"] } } },
      ],
    });
  });

  it("always sorts by _id last", () => {
    expect(orderToSort([{ field: "n", direction: "desc" }])).toEqual([
      ["n", -1],
      ["_id", 1],
    ]);
    expect(orderToSort([{ field: "id", direction: "desc" }])).toEqual([["_id", -1]]);
  });

  it("throws on bad field paths", () => {
    expect(() => whereToFilter(parseWhere({ "$where.x": 1 } as never))).toThrow();
    expect(() => orderToSort([{ field: "a.$b", direction: "asc" }])).toThrow();
  });
});
