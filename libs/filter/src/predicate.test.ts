import { describe, expect, it } from "vitest";
import type { BoundFilterNode, Literal, Operator } from "./ast.js";
import { MATCH_ALL, MATCH_NOTHING } from "./ast.js";
import { parseFilter } from "./parse-filter.js";
import { toPredicate } from "./predicate.js";
import { simplify } from "./simplify.js";

function cond(field: string, operator: Operator, value: Literal | Literal[]): BoundFilterNode {
  const r = parseFilter({ field, operator, value });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as BoundFilterNode;
}

function matches(node: BoundFilterNode, doc: Record<string, unknown>): boolean {
  return toPredicate(node)(doc);
}

describe("toPredicate (the reference semantics)", () => {
  it("compares types strictly: 1 is not '1' nor true", () => {
    expect(matches(cond("a", "eq", 1), { a: 1 })).toBe(true);
    expect(matches(cond("a", "eq", 1), { a: "1" })).toBe(false);
    expect(matches(cond("a", "eq", 1), { a: true })).toBe(false);
    expect(matches(cond("a", "eq", true), { a: 1 })).toBe(false);
    expect(matches(cond("a", "gt", 0), { a: "5" })).toBe(false);
    expect(matches(cond("a", "lt", "b"), { a: 1 })).toBe(false);
    expect(matches(cond("a", "in", [1, "x"]), { a: "1" })).toBe(false);
  });

  it("matches eq / in against any element of an array field, but ranges never", () => {
    expect(matches(cond("tags", "eq", "x"), { tags: ["y", "x"] })).toBe(true);
    expect(matches(cond("tags", "in", ["z", "x"]), { tags: ["y", "x"] })).toBe(true);
    expect(matches(cond("tags", "ne", "x"), { tags: ["y", "x"] })).toBe(false);
    expect(matches(cond("tags", "nin", ["x"]), { tags: ["y"] })).toBe(true);
    expect(matches(cond("n", "gt", 1), { n: [5] })).toBe(false);
  });

  it("lets ne and nin match absent and null fields (as MongoDB does)", () => {
    expect(matches(cond("a", "ne", 1), {})).toBe(true);
    expect(matches(cond("a", "ne", 1), { a: null })).toBe(true);
    expect(matches(cond("a", "nin", [1]), {})).toBe(true);
    expect(matches(cond("a", "eq", 1), {})).toBe(false);
  });

  it("treats exists as present and not null", () => {
    expect(matches(cond("a", "exists", true), { a: 0 })).toBe(true);
    expect(matches(cond("a", "exists", true), { a: [] })).toBe(true);
    expect(matches(cond("a", "exists", true), { a: null })).toBe(false);
    expect(matches(cond("a", "exists", false), { a: null })).toBe(true);
    expect(matches(cond("a", "exists", false), {})).toBe(true);
  });

  it("contains: array element equality, substring on strings", () => {
    expect(matches(cond("t", "contains", "ell"), { t: "hello" })).toBe(true);
    expect(matches(cond("t", "contains", "ell"), { t: ["hello"] })).toBe(false);
    expect(matches(cond("t", "contains", "hello"), { t: ["hello"] })).toBe(true);
    expect(matches(cond("t", "contains", 2), { t: [1, 2] })).toBe(true);
    expect(matches(cond("t", "contains", 2), { t: "2" })).toBe(false);
  });

  it("walks dotted paths through objects, not arrays", () => {
    expect(matches(cond("m.y", "gte", 2020), { m: { y: 2021 } })).toBe(true);
    expect(matches(cond("m.y", "exists", false), { m: [{ y: 2021 }] })).toBe(true);
    expect(matches(cond("m.y", "exists", false), { m: "x" })).toBe(true);
    expect(matches(cond("toString", "exists", true), {})).toBe(false);
  });

  it("orders strings by code point", () => {
    expect(matches(cond("s", "gt", "Z"), { s: "a" })).toBe(true);
    expect(matches(cond("s", "lt", "\u{1F600}"), { s: "\uFFFF" })).toBe(true);
    expect(matches(cond("s", "gte", "ab"), { s: "ab" })).toBe(true);
  });

  it("has AND [] match everything and OR [] nothing; simplify keeps meaning", () => {
    expect(matches(MATCH_ALL, {})).toBe(true);
    expect(matches(MATCH_NOTHING, {})).toBe(false);
    const node: BoundFilterNode = {
      kind: "and",
      nodes: [
        { kind: "not", node: { kind: "not", node: cond("a", "eq", 1) } },
        { kind: "or", nodes: [MATCH_NOTHING, cond("b", "nin", [])] },
        MATCH_ALL,
      ],
    };
    expect(simplify(node)).toEqual(cond("a", "eq", 1));
    expect(simplify({ kind: "and", nodes: [cond("a", "eq", 1), cond("b", "in", [])] })).toEqual(
      MATCH_NOTHING,
    );
    expect(simplify({ kind: "not", node: MATCH_NOTHING })).toEqual(MATCH_ALL);
  });
});
