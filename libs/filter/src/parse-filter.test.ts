import type { ValidationIssue } from "@strata/errors";
import { describe, expect, it } from "vitest";
import type { FilterNode } from "./ast.js";
import { toFilterJson } from "./filter-json.js";
import { MAX_CONDITIONS, MAX_DEPTH } from "./limits.js";
import { parseFilter } from "./parse-filter.js";

function parsed(json: unknown): FilterNode {
  const r = parseFilter(json);
  if (!r.ok) throw new Error(`expected a valid filter: ${JSON.stringify(r.error)}`);
  return r.value;
}

function issues(json: unknown, location?: string): ValidationIssue[] {
  const r = parseFilter(json, location === undefined ? {} : { location });
  if (r.ok) throw new Error(`expected an invalid filter: ${JSON.stringify(json)}`);
  expect(r.error.kind).toBe("validation");
  return (r.error.details?.validation_errors ?? []) as ValidationIssue[];
}

describe("parseFilter accepts", () => {
  it("the Mixpeek-like grammar with nested AND / OR / NOT", () => {
    const node = parsed({
      AND: [
        { field: "metadata.year", operator: "gte", value: 2020 },
        {
          OR: [
            { field: "metadata.genre", value: "drama" },
            { field: "tags", operator: "contains", value: "x" },
          ],
        },
        { NOT: [{ field: "metadata.draft", operator: "eq", value: true }] },
      ],
    });
    expect(node).toEqual({
      kind: "and",
      nodes: [
        { kind: "condition", field: "metadata.year", operator: "gte", value: 2020 },
        {
          kind: "or",
          nodes: [
            { kind: "condition", field: "metadata.genre", operator: "eq", value: "drama" },
            { kind: "condition", field: "tags", operator: "contains", value: "x" },
          ],
        },
        { kind: "not", node: { kind: "condition", field: "metadata.draft", operator: "eq", value: true } },
      ],
    });
  });

  it("a bare condition, with operator defaulting to eq", () => {
    expect(parsed({ field: "a", value: 1 })).toEqual({
      kind: "condition",
      field: "a",
      operator: "eq",
      value: 1,
    });
  });

  it("NOT with several entries as 'none of them', and a group with several keys as their AND", () => {
    const a = { field: "a", value: 1 };
    const b = { field: "b", value: 2 };
    expect(parsed({ NOT: [a, b] })).toEqual({
      kind: "not",
      node: { kind: "or", nodes: [parsed(a), parsed(b)] },
    });
    expect(parsed({ AND: [a], OR: [b] })).toEqual({
      kind: "and",
      nodes: [
        { kind: "and", nodes: [parsed(a)] },
        { kind: "or", nodes: [parsed(b)] },
      ],
    });
  });

  it("every operator with its value types, and caller references", () => {
    const conditions = [
      { field: "a", operator: "ne", value: "x" },
      { field: "a", operator: "gt", value: "m" },
      { field: "a", operator: "lte", value: -1.5 },
      { field: "a", operator: "in", value: ["x", 1, true] },
      { field: "a", operator: "nin", value: [] },
      { field: "a", operator: "exists", value: false },
      { field: "a", operator: "contains", value: 3 },
      { field: "a", operator: "eq", value: "$user.attributes.department" },
      { field: "a", operator: "in", value: "$user.roles" },
      { field: "a", operator: "in", value: ["$user.principal_id", "public"] },
    ];
    const node = parsed({ AND: conditions });
    expect(node.kind).toBe("and");
    if (node.kind !== "and") return;
    expect(node.nodes[7]).toMatchObject({ value: { kind: "caller_ref", path: "attributes.department" } });
    expect(node.nodes[8]).toMatchObject({ value: { kind: "caller_ref", path: "roles" } });
    expect(node.nodes[9]).toMatchObject({ value: [{ kind: "caller_ref", path: "principal_id" }, "public"] });
  });

  it("its own JSON form back into the same tree", () => {
    const json = {
      AND: [
        { field: "m.y", operator: "in", value: ["$user.roles", 2] },
        { NOT: [{ field: "a", value: 1 }, { OR: [] }] },
        { NOT: [{ field: "b", operator: "exists", value: true }] },
        { AND: [], OR: [{ field: "c", operator: "lt", value: "z" }] },
      ],
    };
    const node = parsed(json);
    expect(parsed(toFilterJson(node))).toEqual(node);
  });

  it("nesting exactly at the depth limit and exactly the condition limit", () => {
    let deep: unknown = { field: "a", value: 1 };
    for (let i = 0; i < MAX_DEPTH; i++) deep = { AND: [deep] };
    expect(parseFilter(deep).ok).toBe(true);
    const many = Array.from({ length: MAX_CONDITIONS }, () => ({ field: "a", value: 1 }));
    expect(parseFilter({ OR: many }).ok).toBe(true);
  });
});

describe("parseFilter rejects, with the location of each problem", () => {
  it("an unknown operator, and Mixpeek operators Strata does not support", () => {
    const [unknown] = issues({ AND: [{ field: "a", operator: "like", value: "x" }] }, "body.filters");
    expect(unknown).toMatchObject({ location: "body.filters.AND[0].operator" });
    expect(unknown?.message).toContain("unknown operator");
    const [mixpeek] = issues({ field: "a", operator: "regex", value: "x" });
    expect(mixpeek?.location).toBe("operator");
    expect(mixpeek?.message).toContain("not supported");
  });

  it("values of the wrong type for the operator", () => {
    const cases: [unknown, string, string][] = [
      [{ field: "a", operator: "in", value: "x" }, "value", "array"],
      [{ field: "a", operator: "nin", value: 3 }, "value", "array"],
      [{ field: "a", operator: "in", value: ["x", { y: 1 }] }, "value[1]", "string, number or boolean"],
      [{ field: "a", operator: "exists", value: "yes" }, "value", "true or false"],
      [{ field: "a", operator: "gt", value: true }, "value", "numbers or strings"],
      [{ field: "a", operator: "gt", value: [1] }, "value", "string, number or boolean"],
      [{ field: "a", operator: "eq", value: null }, "value", "use exists"],
      [{ field: "a", operator: "eq", value: { $gt: 1 } }, "value", "string, number or boolean"],
      [{ field: "a", operator: "eq", value: Number.NaN }, "value", "finite"],
      [{ field: "a", operator: "eq" }, "value", "required"],
      [{ field: "a", operator: "eq", value: "$user.email" }, "value", "unknown caller reference"],
      [{ field: "a", operator: "in", value: ["$user.attributes."] }, "value[0]", "unknown caller reference"],
    ];
    for (const [json, location, message] of cases) {
      const [issue] = issues(json);
      expect(issue?.location, JSON.stringify(json)).toBe(location);
      expect(issue?.message, JSON.stringify(json)).toContain(message);
    }
  });

  it("field paths that are not dotted identifiers", () => {
    for (const field of ["", "a..b", "1a", "a-b", "$where", "a.", "x".repeat(300), 42]) {
      const [issue] = issues({ field, value: 1 });
      expect(issue?.location, String(field)).toBe("field");
    }
  });

  it("malformed groups and unknown keys", () => {
    expect(issues({})[0]?.message).toContain("AND|OR|NOT");
    expect(issues({ AND: { field: "a", value: 1 } })[0]).toMatchObject({ location: "AND" });
    expect(issues({ AND: [], case_sensitive: true })[0]?.message).toContain("case_sensitive");
    expect(issues({ field: "a", value: 1, extra: 2 })[0]?.message).toContain("extra");
    expect(issues([{ field: "a", value: 1 }])[0]?.location).toBe("");
    expect(issues("a = 1")[0]?.message).toContain("expected a filter object");
    expect(issues(null)[0]?.message).toContain("expected a filter object");
    expect(issues({ OR: [1] })[0]?.location).toBe("OR[0]");
  });

  it("filters nested deeper than the limit, without recursing into them", () => {
    let deep: unknown = { field: "a", value: 1 };
    for (let i = 0; i < MAX_DEPTH + 1; i++) deep = { AND: [deep] };
    expect(issues(deep)[0]).toMatchObject({
      type: "too_deep",
      location: `${"AND[0].".repeat(MAX_DEPTH)}`.slice(0, -1),
    });
    // A self-referencing object (possible from code, not JSON) stops at the depth limit too.
    const cyclic: { AND: unknown[] } = { AND: [] };
    cyclic.AND.push(cyclic);
    expect(issues(cyclic)[0]?.type).toBe("too_deep");
  });

  it("more conditions than the limit", () => {
    const many = Array.from({ length: MAX_CONDITIONS + 5 }, () => ({ field: "a", value: 1 }));
    const found = issues({ OR: many });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ type: "too_many_conditions", location: `OR[${MAX_CONDITIONS}]` });
  });

  it("reports every problem, not only the first", () => {
    const found = issues({
      AND: [
        { field: "a", operator: "in", value: 1 },
        { OR: [{ field: "b", operator: "nope", value: 1 }] },
        { field: "c", operator: "exists", value: 1 },
      ],
    });
    expect(found.map((i) => i.location)).toEqual(["AND[0].value", "AND[1].OR[0].operator", "AND[2].value"]);
  });
});
