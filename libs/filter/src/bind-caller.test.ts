import { describe, expect, it } from "vitest";
import type { BoundFilterNode, FilterNode } from "./ast.js";
import { hasCallerRefs, MATCH_ALL, MATCH_NOTHING } from "./ast.js";
import type { CallerContext } from "./bind-caller.js";
import { bindCaller } from "./bind-caller.js";
import { parseFilter } from "./parse-filter.js";
import { toPredicate } from "./predicate.js";

function parsed(json: unknown): FilterNode {
  const r = parseFilter(json);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const alice: CallerContext = {
  principalId: "alice",
  roles: ["editor", "viewer"],
  attributes: { department: "sales", level: 3, org: { team: "emea" }, tags: ["a", "b"], profile: { x: 1 } },
};
const anonymous: CallerContext = { roles: [], attributes: {} };

const docs = [
  { id: "1", metadata: { department: "sales", level: 2, team: "emea" }, owner: "alice", role: "editor" },
  { id: "2", metadata: { department: "hr", level: 5, team: "apac" }, owner: "bob", role: "admin" },
  { id: "3", metadata: {}, owner: "carol", role: "viewer" },
];

function select(node: BoundFilterNode): string[] {
  const predicate = toPredicate(node);
  return docs.filter(predicate).map((d) => d.id);
}

describe("bindCaller", () => {
  it("replaces principal id, roles and (nested) attributes with the caller's values", () => {
    const node = parsed({
      AND: [
        { field: "metadata.department", value: "$user.attributes.department" },
        { field: "metadata.level", operator: "lt", value: "$user.attributes.level" },
        { field: "metadata.team", value: "$user.attributes.org.team" },
        { field: "role", operator: "in", value: "$user.roles" },
        { field: "owner", operator: "in", value: ["$user.principal_id", "nobody"] },
      ],
    });
    const bound = bindCaller(node, alice);
    expect(hasCallerRefs(bound)).toBe(false);
    expect(bound).toEqual({
      kind: "and",
      nodes: [
        { kind: "condition", field: "metadata.department", operator: "eq", value: "sales" },
        { kind: "condition", field: "metadata.level", operator: "lt", value: 3 },
        { kind: "condition", field: "metadata.team", operator: "eq", value: "emea" },
        { kind: "condition", field: "role", operator: "in", value: ["editor", "viewer"] },
        { kind: "condition", field: "owner", operator: "in", value: ["alice", "nobody"] },
      ],
    });
    expect(select(bound)).toEqual(["1"]);
  });

  it("makes a condition with a missing attribute match nothing, never everything", () => {
    const eq = parsed({ field: "metadata.department", value: "$user.attributes.department" });
    const ne = parsed({ field: "metadata.department", operator: "ne", value: "$user.attributes.department" });
    expect(bindCaller(eq, anonymous)).toEqual(MATCH_NOTHING);
    expect(bindCaller(ne, anonymous)).toEqual(MATCH_NOTHING);
    expect(select(bindCaller(ne, anonymous))).toEqual([]);
    // Without the attribute, ne would otherwise have matched every document.
    expect(select(bindCaller(ne, { ...anonymous, attributes: { department: "none" } }))).toEqual([
      "1",
      "2",
      "3",
    ]);
  });

  it("keeps failing closed under NOT, so a negated reference cannot widen the filter", () => {
    const negated = parsed({ NOT: [{ field: "metadata.department", value: "$user.attributes.department" }] });
    expect(select(bindCaller(negated, anonymous))).toEqual([]);
    const doubly = parsed({ NOT: [{ NOT: [{ field: "owner", value: "$user.principal_id" }] }] });
    expect(select(bindCaller(doubly, anonymous))).toEqual([]);
  });

  it("lets a deny rule compiled under NOT deny when its attribute is missing", () => {
    // visible = public-ish allow AND NOT(deny): the deny condition references a missing attribute.
    const compiled = parsed({
      AND: [
        { field: "role", operator: "exists", value: true },
        { NOT: [{ field: "metadata.department", operator: "ne", value: "$user.attributes.department" }] },
      ],
    });
    expect(select(bindCaller(compiled, anonymous))).toEqual([]);
    expect(select(bindCaller(compiled, alice))).toEqual(["1"]);
  });

  it("treats values of an unusable type as missing", () => {
    const cases: [unknown, CallerContext][] = [
      [{ field: "owner", value: "$user.principal_id" }, anonymous],
      [{ field: "owner", value: "$user.roles" }, alice],
      [{ field: "owner", value: "$user.attributes.profile" }, alice],
      [{ field: "metadata.level", operator: "gt", value: "$user.attributes.tags" }, alice],
      [{ field: "owner", operator: "in", value: "$user.attributes.profile" }, alice],
      [{ field: "owner", operator: "in", value: ["x", "$user.attributes.missing"] }, alice],
      [{ field: "owner", value: "$user.attributes.department.name" }, alice],
    ];
    for (const [json, caller] of cases) {
      expect(bindCaller(parsed(json), caller), JSON.stringify(json)).toEqual(MATCH_NOTHING);
    }
  });

  it("binds an empty role list to an empty set: in matches nothing, nin everything", () => {
    const inRoles = bindCaller(parsed({ field: "role", operator: "in", value: "$user.roles" }), anonymous);
    const ninRoles = bindCaller(parsed({ field: "role", operator: "nin", value: "$user.roles" }), anonymous);
    expect(select(inRoles)).toEqual([]);
    expect(select(ninRoles)).toEqual(["1", "2", "3"]);
    // A scalar attribute used with in is a one-value set.
    expect(
      bindCaller(parsed({ field: "owner", operator: "in", value: "$user.attributes.level" }), alice),
    ).toEqual({
      kind: "condition",
      field: "owner",
      operator: "in",
      value: [3],
    });
  });

  it("leaves literal-only filters unchanged", () => {
    const node = parsed({ OR: [{ field: "a", value: 1 }, { AND: [] }] });
    expect(bindCaller(node, anonymous)).toEqual(node);
    expect(bindCaller(parsed({ AND: [] }), anonymous)).toEqual(MATCH_ALL);
  });
});
