import { describe, expect, it } from "vitest";
import { createKey } from "./create-key.js";
import { createOrganization } from "./organizations.js";
import {
  createPrincipal,
  deletePrincipal,
  getPrincipal,
  listPrincipals,
  updatePrincipal,
} from "./principals.js";
import { adminCaller, testAuth } from "./test-support.js";
import { verifyKey } from "./verify-key.js";

async function withOrg() {
  const t = await testAuth();
  const created = await createOrganization(t.ports, "Acme");
  if (!created.ok) throw new Error("organization not created");
  const orgId = created.value.organization.id;
  return { t, orgId, admin: adminCaller(orgId, { keyId: created.value.admin.key.id }) };
}

describe("principals", () => {
  it("creates, reads, lists, updates and deletes a principal, publishing each change", async () => {
    const { t, admin } = await withOrg();
    const created = await createPrincipal(t.ports, admin, {
      principalId: "alice",
      roles: ["analyst", "analyst", "viewer"],
      attributes: { department: "sales" },
    });
    expect(created.ok && created.value).toMatchObject({
      principal_id: "alice",
      roles: ["analyst", "viewer"],
    });
    const again = await createPrincipal(t.ports, admin, { principalId: "alice", roles: [], attributes: {} });
    expect(again.ok ? undefined : again.error.kind).toBe("already_exists");
    const updated = await updatePrincipal(t.ports, admin, "alice", { roles: ["viewer"] });
    expect(updated.ok && updated.value).toMatchObject({
      roles: ["viewer"],
      attributes: { department: "sales" },
    });
    const listed = await listPrincipals(t.ports, admin, { limit: 10, cursor: undefined });
    expect(listed.ok && listed.value.principals.map((p) => p.principal_id)).toEqual(["alice"]);
    expect((await deletePrincipal(t.ports, admin, "alice")).ok).toBe(true);
    const gone = await getPrincipal(t.ports, admin, "alice");
    expect(gone.ok ? undefined : gone.error.kind).toBe("not_found");
    const types = (await t.events()).map((e) => e.type).filter((type) => type.startsWith("principal."));
    expect(types).toEqual(["principal.created", "principal.updated", "principal.deleted"]);
  });

  it("refuses ids that look like role entries, and end-user keys managing principals", async () => {
    const { t, admin } = await withOrg();
    const bad = await createPrincipal(t.ports, admin, {
      principalId: "role:admin",
      roles: [],
      attributes: {},
    });
    expect(bad.ok ? undefined : bad.error.kind).toBe("validation");
    const endUser = { ...admin, principalId: "bob" };
    const refused = await createPrincipal(t.ports, endUser, {
      principalId: "carol",
      roles: [],
      attributes: {},
    });
    expect(refused.ok ? undefined : refused.error.kind).toBe("forbidden");
  });

  it("verifies a bound key with the principal's current roles and attributes", async () => {
    const { t, admin } = await withOrg();
    await createPrincipal(t.ports, admin, {
      principalId: "alice",
      roles: ["analyst"],
      attributes: { d: "x" },
    });
    const key = await createKey(t.ports, admin, {
      name: "alice",
      permissions: ["read"],
      namespaces: [],
      roles: [],
      principalId: "alice",
    });
    if (!key.ok) throw new Error("key not created");
    const before = await verifyKey(t.ports, key.value.secret);
    expect(before.valid && before.key).toMatchObject({
      principal_id: "alice",
      roles: ["analyst"],
      attributes: { d: "x" },
    });
    await updatePrincipal(t.ports, admin, "alice", { roles: [], attributes: { d: "y" } });
    const after = await verifyKey(t.ports, key.value.secret);
    expect(after.valid && after.key).toMatchObject({ roles: [], attributes: { d: "y" } });
  });

  it("lets only org admin or impersonating keys grant acl:impersonate, and never to a bound key", async () => {
    const { t, admin } = await withOrg();
    const base = { name: "imp", namespaces: [], roles: [] };
    const writer = { ...admin, permissions: ["write"] as const };
    const refused = await createKey(t.ports, writer, { ...base, permissions: ["acl:impersonate"] });
    expect(refused.ok ? undefined : refused.error.kind).toBe("forbidden");
    const endUser = { ...admin, principalId: "alice" };
    const alsoRefused = await createKey(t.ports, endUser, {
      ...base,
      permissions: ["read", "acl:impersonate"],
    });
    expect(alsoRefused.ok ? undefined : alsoRefused.error.kind).toBe("forbidden");
    const impersonator = { ...admin, permissions: ["admin", "acl:impersonate"] as const };
    const granted = await createKey(t.ports, impersonator, {
      ...base,
      permissions: ["read", "acl:impersonate"],
    });
    expect(granted.ok && granted.value.key.permissions).toEqual(["read", "acl:impersonate"]);
    const bound = await createKey(t.ports, impersonator, {
      ...base,
      permissions: ["acl:impersonate"],
      principalId: "alice",
    });
    expect(bound.ok ? undefined : bound.error.kind).toBe("forbidden");
  });
});
