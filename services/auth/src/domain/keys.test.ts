import { createHash } from "node:crypto";
import { isWellFormedApiKey, newId } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { createKey } from "./create-key.js";
import { getKey, listKeys, revokeKey } from "./manage-keys.js";
import { createOrganization } from "./organizations.js";
import { API_KEYS_TABLE, type ApiKeyRecord } from "./tables.js";
import { adminCaller, type TestAuth, testAuth } from "./test-support.js";

async function withOrg(): Promise<{ t: TestAuth; orgId: string; adminKeyId: string }> {
  const t = await testAuth();
  const created = await createOrganization(t.ports, "Acme");
  if (!created.ok) throw new Error("organization not created");
  return { t, orgId: created.value.organization.id, adminKeyId: created.value.admin.key.id };
}

const baseKey = { name: "ci", permissions: ["read"], namespaces: [], roles: [] };

describe("createOrganization", () => {
  it("creates the organization with an admin key whose secret is returned once and stored only as a hash", async () => {
    const t = await testAuth();
    const created = await createOrganization(t.ports, "Acme");
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const { organization, admin } = created.value;
    expect(organization.id).toMatch(/^org_/);
    expect(isWellFormedApiKey(admin.secret)).toBe(true);
    expect(admin.key).toMatchObject({
      organization_id: organization.id,
      permissions: ["admin"],
      namespaces: [],
    });
    expect(admin.key.hash).toBe(createHash("sha256").update(admin.secret).digest("hex"));
    expect(admin.key.start).toBe(admin.secret.slice(0, 12));
    const stored = await t.store.table<ApiKeyRecord>(API_KEYS_TABLE).find();
    expect(JSON.stringify(stored)).not.toContain(admin.secret);
    const events = await t.events();
    expect(events.map((e) => e.type)).toEqual(["api_key.created"]);
    expect(JSON.stringify(events)).not.toContain(admin.secret);
  });

  it("refuses an empty name", async () => {
    const t = await testAuth();
    const created = await createOrganization(t.ports, "  ");
    expect(created.ok ? undefined : created.error.kind).toBe("validation");
  });
});

describe("createKey", () => {
  it("creates a key for the caller's organization and emits api_key.created once", async () => {
    const { t, orgId, adminKeyId } = await withOrg();
    const ns = newId("namespace");
    const expiresAt = new Date(t.now().getTime() + 86_400_000);
    const created = await createKey(t.ports, adminCaller(orgId, { keyId: adminKeyId }), {
      name: "ingest",
      permissions: ["write", "read", "write"],
      namespaces: [ns],
      expiresAt,
      principalId: "user-1",
      roles: ["analyst"],
      attributes: { department: "sales" },
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.key).toMatchObject({
      organization_id: orgId,
      name: "ingest",
      permissions: ["read", "write"],
      namespaces: [ns],
      expires_at: expiresAt.toISOString(),
      principal_id: "user-1",
      roles: ["analyst"],
      attributes: { department: "sales" },
      status: "active",
      created_by: adminKeyId,
      rotated_from: null,
    });
    const events = await t.events();
    expect(events.filter((e) => e.subject === created.value.key.id).map((e) => e.type)).toEqual([
      "api_key.created",
    ]);
    expect(t.committedNotifications()).toBe(2);
  });

  it("needs the admin permission", async () => {
    const { t, orgId } = await withOrg();
    const before = (await t.events()).length;
    const created = await createKey(t.ports, adminCaller(orgId, { permissions: ["read", "write"] }), baseKey);
    expect(created.ok ? undefined : created.error.kind).toBe("forbidden");
    expect(await t.events()).toHaveLength(before);
  });

  it("reports every invalid field as a validation issue", async () => {
    const { t, orgId } = await withOrg();
    const created = await createKey(t.ports, adminCaller(orgId), {
      name: "x".repeat(101),
      permissions: ["read", "unspecified"],
      namespaces: ["production"],
      expiresAt: new Date(t.now().getTime() - 1),
      roles: [],
    });
    expect(created.ok).toBe(false);
    if (created.ok) return;
    expect(created.error.kind).toBe("validation");
    const issues = (created.error.details?.validation_errors ?? []) as Array<{ location: string }>;
    expect(issues.map((i) => i.location).sort()).toEqual(
      ["body.expires_at", "body.name", "body.namespaces[0]", "body.permissions[1]"].sort(),
    );
  });

  it("refuses an empty name and an empty permission list", async () => {
    const { t, orgId } = await withOrg();
    const created = await createKey(t.ports, adminCaller(orgId), { ...baseKey, name: "", permissions: [] });
    const issues = created.ok
      ? []
      : ((created.error.details?.validation_errors ?? []) as Array<{ location: string }>);
    expect(issues.map((i) => i.location)).toEqual(["body.name", "body.permissions"]);
  });

  it("lets a namespace-restricted admin create keys only within a non-empty subset of its namespaces", async () => {
    const { t, orgId } = await withOrg();
    const [a, b, c] = [newId("namespace"), newId("namespace"), newId("namespace")];
    const restricted = adminCaller(orgId, { namespaces: [a, b] });
    const orgWide = await createKey(t.ports, restricted, { ...baseKey, namespaces: [] });
    expect(orgWide.ok ? undefined : orgWide.error.kind).toBe("forbidden");
    const outside = await createKey(t.ports, restricted, { ...baseKey, namespaces: [a, c] });
    expect(outside.ok ? undefined : outside.error.kind).toBe("forbidden");
    const subset = await createKey(t.ports, restricted, {
      ...baseKey,
      permissions: ["admin"],
      namespaces: [b],
    });
    expect(subset.ok ? subset.value.key.namespaces : undefined).toEqual([b]);
  });

  it("keeps an end-user caller's keys on its own principal, roles and attributes", async () => {
    const { t, orgId } = await withOrg();
    const endUser = adminCaller(orgId, {
      principalId: "alice",
      roles: ["sales"],
      attributes: { region: "eu" },
    });
    const other = await createKey(t.ports, endUser, { ...baseKey, principalId: "bob" });
    expect(other.ok ? undefined : other.error.kind).toBe("forbidden");
    const moreRoles = await createKey(t.ports, endUser, { ...baseKey, roles: ["sales", "finance"] });
    expect(moreRoles.ok ? undefined : moreRoles.error.kind).toBe("forbidden");
    const otherAttributes = await createKey(t.ports, endUser, { ...baseKey, attributes: { region: "us" } });
    expect(otherAttributes.ok ? undefined : otherAttributes.error.kind).toBe("forbidden");
    const inherited = await createKey(t.ports, endUser, baseKey);
    expect(inherited.ok ? inherited.value.key : undefined).toMatchObject({
      principal_id: "alice",
      roles: [],
      attributes: { region: "eu" },
    });
  });
});

describe("reading and revoking keys", () => {
  it("confines get, list and revoke to the caller's organization", async () => {
    const { t, orgId } = await withOrg();
    const otherOrg = await createOrganization(t.ports, "Other");
    if (!otherOrg.ok) throw new Error("no org");
    const foreignId = otherOrg.value.admin.key.id;
    const caller = adminCaller(orgId);
    expect((await getKey(t.ports, caller, foreignId)).ok).toBe(false);
    const revoked = await revokeKey(t.ports, caller, foreignId);
    expect(revoked.ok ? undefined : revoked.error.kind).toBe("not_found");
    const listed = await listKeys(t.ports, caller, { limit: 100, cursor: undefined });
    expect(listed.ok && listed.value.keys.every((k) => k.organization_id === orgId)).toBe(true);
    expect(listed.ok ? listed.value.keys.length : 0).toBe(1);
  });

  it("hides keys outside a restricted caller's namespaces, as if they did not exist", async () => {
    const { t, orgId, adminKeyId } = await withOrg();
    const [a, b] = [newId("namespace"), newId("namespace")];
    const admin = adminCaller(orgId);
    const inA = await createKey(t.ports, admin, { ...baseKey, name: "in-a", namespaces: [a] });
    const inAB = await createKey(t.ports, admin, { ...baseKey, name: "in-ab", namespaces: [a, b] });
    if (!inA.ok || !inAB.ok) throw new Error("keys not created");
    const restricted = adminCaller(orgId, { namespaces: [a] });

    expect((await getKey(t.ports, restricted, inA.value.key.id)).ok).toBe(true);
    for (const hidden of [inAB.value.key.id, adminKeyId]) {
      const got = await getKey(t.ports, restricted, hidden);
      expect(got.ok ? undefined : got.error.kind).toBe("not_found");
      const revoked = await revokeKey(t.ports, restricted, hidden);
      expect(revoked.ok ? undefined : revoked.error.kind).toBe("not_found");
    }
    const listed = await listKeys(t.ports, restricted, { limit: 1, cursor: undefined });
    const names: string[] = [];
    let page = listed;
    while (page.ok) {
      names.push(...page.value.keys.map((k) => k.name));
      if (page.value.nextCursor === null) break;
      page = await listKeys(t.ports, restricted, { limit: 1, cursor: page.value.nextCursor });
    }
    expect(names).toEqual(["in-a"]);
  });

  it("lists newest first in pages and rejects bad cursors and limits", async () => {
    const { t, orgId } = await withOrg();
    const caller = adminCaller(orgId);
    for (const name of ["k1", "k2", "k3", "k4"]) {
      t.advance(1000);
      await createKey(t.ports, caller, { ...baseKey, name });
    }
    const first = await listKeys(t.ports, caller, { limit: 2, cursor: undefined });
    if (!first.ok) throw new Error("list failed");
    expect(first.value.keys.map((k) => k.name)).toEqual(["k4", "k3"]);
    const second = await listKeys(t.ports, caller, { limit: 2, cursor: first.value.nextCursor ?? undefined });
    if (!second.ok) throw new Error("list failed");
    expect(second.value.keys.map((k) => k.name)).toEqual(["k2", "k1"]);
    const third = await listKeys(t.ports, caller, { limit: 2, cursor: second.value.nextCursor ?? undefined });
    expect(third.ok ? third.value.keys.map((k) => k.name) : undefined).toEqual(["admin"]);
    expect(third.ok ? third.value.nextCursor : "x").toBeNull();

    const bad = await listKeys(t.ports, caller, { limit: 2, cursor: "not-a-cursor" });
    expect(bad.ok ? undefined : bad.error.kind).toBe("bad_request");
    for (const limit of [0, 101, 1.5]) {
      const wrong = await listKeys(t.ports, caller, { limit, cursor: undefined });
      expect(wrong.ok ? undefined : wrong.error.kind).toBe("bad_request");
    }
  });

  it("revokes idempotently with exactly one api_key.revoked event", async () => {
    const { t, orgId } = await withOrg();
    const caller = adminCaller(orgId);
    const created = await createKey(t.ports, caller, baseKey);
    if (!created.ok) throw new Error("key not created");
    const id = created.value.key.id;
    const first = await revokeKey(t.ports, caller, id);
    t.advance(5000);
    const second = await revokeKey(t.ports, caller, id);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(first.value.status).toBe("revoked");
    expect(second.value.revoked_at).toBe(first.value.revoked_at);
    const revocations = (await t.events()).filter((e) => e.type === "api_key.revoked");
    expect(revocations).toHaveLength(1);
    expect(revocations[0]?.data).toMatchObject({
      key_id: id,
      reason: "revoked",
      revoked_at: first.value.revoked_at,
    });
  });

  it("needs admin to read keys", async () => {
    const { t, orgId, adminKeyId } = await withOrg();
    const reader = adminCaller(orgId, { permissions: ["write"] });
    const got = await getKey(t.ports, reader, adminKeyId);
    expect(got.ok ? undefined : got.error.kind).toBe("forbidden");
    const listed = await listKeys(t.ports, reader, { limit: 10, cursor: undefined });
    expect(listed.ok ? undefined : listed.error.kind).toBe("forbidden");
  });
});
