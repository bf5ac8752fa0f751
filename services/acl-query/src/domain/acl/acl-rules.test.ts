import { evaluate, MATCH_ALL } from "@strata/filter";
import { describe, expect, it } from "vitest";
import { callerOf, NS, testAclQuery } from "../../testing/domain-test-support.js";
import { compileCallerVisibility } from "./compile-caller-visibility.js";
import { createRule, deleteRule, getRule, listRules, updateRule } from "./rules.js";
import { VisibilityCache } from "./visibility-cache.js";

const admin = callerOf({ permissions: ["admin"] });
const alice = callerOf({
  permissions: ["read"],
  principalId: "alice",
  roles: ["analyst"],
  attributes: { department: "sales" },
});
const sameDepartment = {
  AND: [{ field: "metadata.department", operator: "eq", value: "$user.attributes.department" }],
};

describe("ACL rules", () => {
  it("creates, reads, lists, updates and deletes a rule, publishing each change", async () => {
    const t = await testAclQuery();
    const created = await createRule(t.ports, admin, NS, {
      ruleName: "same-department",
      effect: "allow",
      condition: sameDepartment,
    });
    expect(created.ok && created.value).toMatchObject({ rule_name: "same-department", effect: "allow" });
    const byName = await getRule(t.ports, admin, NS, "same-department");
    expect(byName.ok && byName.value.id).toBe(created.ok && created.value.id);
    const updated = await updateRule(t.ports, admin, NS, "same-department", { effect: "deny" });
    expect(updated.ok && updated.value.effect).toBe("deny");
    const listed = await listRules(t.ports, admin, NS, { limit: 10, cursor: undefined });
    expect(listed.ok && listed.value.records).toHaveLength(1);
    expect((await deleteRule(t.ports, admin, NS, "same-department")).ok).toBe(true);
    const types = (await t.events()).map((e) => e.type);
    expect(types).toEqual(["acl_rule.created", "acl_rule.updated", "acl_rule.deleted"]);
  });

  it("refuses bad conditions, bad effects and end-user keys", async () => {
    const t = await testAclQuery();
    const bad = await createRule(t.ports, admin, NS, {
      ruleName: "x",
      effect: "maybe",
      condition: { AND: 3 },
    });
    expect(bad.ok ? undefined : bad.error.kind).toBe("validation");
    const endUser = await createRule(t.ports, alice, NS, {
      ruleName: "x",
      effect: "allow",
      condition: sameDepartment,
    });
    expect(endUser.ok ? undefined : endUser.error.kind).toBe("forbidden");
  });

  it("compiles rules and principal into one filter, cached until a rule event drops it", async () => {
    const t = await testAclQuery();
    const cache = new VisibilityCache();
    await createRule(t.ports, admin, NS, { ruleName: "dept", effect: "allow", condition: sameDepartment });
    const sales = { _acl: { read: [], public: false }, metadata: { department: "sales" } };
    const hr = { _acl: { read: ["role:analyst"], public: false }, metadata: { department: "hr" } };
    const first = await compileCallerVisibility(t.ports, cache, alice, NS);
    if (!first.ok) throw new Error(first.error.message);
    expect([evaluate(first.value, sales), evaluate(first.value, hr)]).toEqual([true, true]);
    await createRule(t.ports, admin, NS, {
      ruleName: "no-hr",
      effect: "deny",
      condition: { AND: [{ field: "metadata.department", operator: "eq", value: "hr" }] },
    });
    const stale = await compileCallerVisibility(t.ports, cache, alice, NS);
    expect(stale.ok && evaluate(stale.value, hr)).toBe(true);
    cache.invalidateNamespace(NS);
    const fresh = await compileCallerVisibility(t.ports, cache, alice, NS);
    expect(fresh.ok && evaluate(fresh.value, hr)).toBe(false);
    expect(await compileCallerVisibility(t.ports, cache, admin, NS)).toEqual({ ok: true, value: MATCH_ALL });
  });
});
