import { describe, expect, it } from "vitest";
import { compileVisibility, compileWriteAccess, readBoundFilter } from "./acl-visibility.js";
import { MATCH_NOTHING } from "./ast.js";
import { parseFilter } from "./parse-filter.js";
import { evaluate } from "./predicate.js";

const alice = { principalId: "alice", roles: ["analyst"], attributes: { department: "sales" } };
const doc = (
  acl: Partial<{ owner: string | null; read: string[]; write: string[]; public: boolean }>,
  metadata = {},
) => ({
  collection_id: "col_a",
  metadata,
  _acl: { owner: null, read: [], write: [], public: false, ...acl },
});
const condition = (json: unknown) => {
  const parsed = parseFilter(json);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};
const sameDepartment = condition({
  field: "metadata.department",
  operator: "eq",
  value: "$user.attributes.department",
});

describe("compileVisibility", () => {
  it("lets through public, owned, read-listed and role-listed documents only", () => {
    const filter = compileVisibility([], alice);
    const seen = [
      doc({ public: true }),
      doc({ owner: "alice" }),
      doc({ read: ["alice"] }),
      doc({ read: ["role:analyst"] }),
      doc({ read: ["bob", "role:editor"] }),
      doc({ write: ["alice"] }),
    ].map((d) => evaluate(filter, d));
    expect(seen).toEqual([true, true, true, true, false, false]);
  });

  it("adds allow rules, scoped to their collections, and lets deny rules win", () => {
    const allow = { effect: "allow" as const, condition: sameDepartment, collectionIds: ["col_a"] };
    const deny = {
      effect: "deny" as const,
      condition: condition({ field: "metadata.secret", operator: "eq", value: true }),
      collectionIds: [],
    };
    const filter = compileVisibility([allow, deny], alice);
    expect(evaluate(filter, doc({}, { department: "sales" }))).toBe(true);
    expect(evaluate(filter, { ...doc({}, { department: "sales" }), collection_id: "col_b" })).toBe(false);
    expect(evaluate(filter, doc({ public: true }, { secret: true }))).toBe(false);
  });

  it("fails closed on an attribute the principal lacks: an allow grants nothing, a deny denies", () => {
    const nobody = { principalId: "bob", roles: [], attributes: {} };
    const allow = compileVisibility(
      [{ effect: "allow", condition: sameDepartment, collectionIds: [] }],
      nobody,
    );
    expect(evaluate(allow, doc({}, { department: "sales" }))).toBe(false);
    const deny = compileVisibility(
      [{ effect: "deny", condition: sameDepartment, collectionIds: [] }],
      nobody,
    );
    expect(evaluate(deny, doc({ public: true }))).toBe(false);
    expect(compileVisibility([], { roles: [], attributes: {} })).toEqual(MATCH_NOTHING);
  });

  it("gives write access to the owner and the write list only", () => {
    const write = compileWriteAccess(alice);
    expect(
      [doc({ owner: "alice" }), doc({ write: ["role:analyst"] }), doc({ read: ["alice"] })].map((d) =>
        evaluate(write, d),
      ),
    ).toEqual([true, true, false]);
  });
});

describe("readBoundFilter", () => {
  it("reads a compiled filter back from JSON and refuses anything else", () => {
    const filter = compileVisibility(
      [{ effect: "allow", condition: sameDepartment, collectionIds: [] }],
      alice,
    );
    expect(readBoundFilter(JSON.parse(JSON.stringify(filter)))).toEqual(filter);
    for (const bad of [
      {},
      null,
      "x",
      { kind: "condition", field: "a", operator: "eq", value: { kind: "caller_ref", path: "roles" } },
      { kind: "and", nodes: [{ kind: "nope" }] },
      { kind: "condition", field: "a", operator: "like", value: "x" },
    ]) {
      expect(readBoundFilter(bad)).toBeUndefined();
    }
  });
});
