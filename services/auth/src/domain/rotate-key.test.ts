import { newId } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { createKey } from "./create-key.js";
import { revokeKey } from "./manage-keys.js";
import { createOrganization } from "./organizations.js";
import { MAX_OVERLAP_SECONDS, rotateKey } from "./rotate-key.js";
import { adminCaller, type TestAuth, testAuth } from "./test-support.js";
import { verifyKey } from "./verify-key.js";

async function setup(expiresInMs?: number) {
  const t: TestAuth = await testAuth();
  const org = await createOrganization(t.ports, "Acme");
  if (!org.ok) throw new Error("no org");
  const caller = adminCaller(org.value.organization.id);
  const ns = newId("namespace");
  const created = await createKey(t.ports, caller, {
    name: "worker",
    permissions: ["write"],
    namespaces: [ns],
    expiresAt: expiresInMs === undefined ? undefined : new Date(t.now().getTime() + expiresInMs),
    principalId: "svc",
    roles: ["robot"],
  });
  if (!created.ok) throw new Error("no key");
  return { t, caller, ns, old: created.value };
}

function typesFor(events: Awaited<ReturnType<TestAuth["events"]>>, keyId: string): string[] {
  return events.filter((e) => e.subject === keyId).map((e) => e.type);
}

describe("rotateKey", () => {
  it("with overlap 0 revokes the old key at once and issues a replacement with the same grant", async () => {
    const { t, caller, ns, old } = await setup();
    const rotated = await rotateKey(t.ports, caller, { keyId: old.key.id, overlapSeconds: 0 });
    if (!rotated.ok) throw new Error(rotated.error.message);
    const { key, secret, previous } = rotated.value;
    expect(key).toMatchObject({
      name: "worker",
      permissions: ["write"],
      namespaces: [ns],
      principal_id: "svc",
      roles: ["robot"],
      rotated_from: old.key.id,
      status: "active",
    });
    expect(previous).toMatchObject({
      status: "revoked",
      rotated_to: key.id,
      revoked_at: t.now().toISOString(),
    });
    expect((await verifyKey(t.ports, old.secret)).valid).toBe(false);
    expect((await verifyKey(t.ports, secret)).valid).toBe(true);

    const events = await t.events();
    expect(typesFor(events, key.id)).toEqual(["api_key.created"]);
    expect(typesFor(events, old.key.id)).toEqual(["api_key.created", "api_key.revoked"]);
    const revoked = events.find((e) => e.type === "api_key.revoked");
    expect(revoked?.data).toMatchObject({ key_id: old.key.id, reason: "rotated" });
    const created = events.find((e) => e.type === "api_key.created" && e.subject === key.id);
    expect(created?.data).toMatchObject({ rotated_from: old.key.id });
  });

  it("with an overlap keeps the old key working until the overlap ends", async () => {
    const { t, caller, old } = await setup();
    const rotated = await rotateKey(t.ports, caller, { keyId: old.key.id, overlapSeconds: 3600 });
    if (!rotated.ok) throw new Error(rotated.error.message);
    const end = new Date(t.now().getTime() + 3_600_000).toISOString();
    expect(rotated.value.previous).toMatchObject({
      status: "active",
      expires_at: end,
      rotated_to: rotated.value.key.id,
    });
    const events = await t.events();
    expect(typesFor(events, old.key.id)).toEqual(["api_key.created", "api_key.rotated"]);
    expect(events.find((e) => e.type === "api_key.rotated")?.data).toMatchObject({
      replaced_by: rotated.value.key.id,
      expires_at: end,
    });

    t.advance(3_599_000);
    expect((await verifyKey(t.ports, old.secret)).valid).toBe(true);
    t.advance(1000);
    expect((await verifyKey(t.ports, old.secret)).valid).toBe(false);
    expect((await verifyKey(t.ports, rotated.value.secret)).valid).toBe(true);
  });

  it("never extends a key past its own expiry, and gives the replacement the same lifetime", async () => {
    const { t, caller, old } = await setup(60_000);
    t.advance(10_000);
    const rotated = await rotateKey(t.ports, caller, { keyId: old.key.id, overlapSeconds: 3600 });
    if (!rotated.ok) throw new Error(rotated.error.message);
    expect(rotated.value.previous.expires_at).toBe(old.key.expires_at);
    expect(rotated.value.key.expires_at).toBe(new Date(t.now().getTime() + 60_000).toISOString());
  });

  it("refuses revoked, expired and already rotated keys", async () => {
    const { t, caller, old } = await setup(60_000);
    const first = await rotateKey(t.ports, caller, { keyId: old.key.id, overlapSeconds: 30 });
    expect(first.ok).toBe(true);
    const again = await rotateKey(t.ports, caller, { keyId: old.key.id, overlapSeconds: 30 });
    expect(again.ok ? undefined : again.error.kind).toBe("bad_request");

    if (!first.ok) return;
    await revokeKey(t.ports, caller, first.value.key.id);
    const revoked = await rotateKey(t.ports, caller, { keyId: first.value.key.id, overlapSeconds: 0 });
    expect(revoked.ok ? undefined : revoked.error.kind).toBe("bad_request");

    const other = await createKey(t.ports, caller, {
      name: "short",
      permissions: ["read"],
      namespaces: [],
      expiresAt: new Date(t.now().getTime() + 1000),
      roles: [],
    });
    if (!other.ok) throw new Error("no key");
    t.advance(1000);
    const expired = await rotateKey(t.ports, caller, { keyId: other.value.key.id, overlapSeconds: 0 });
    expect(expired.ok ? undefined : expired.error.kind).toBe("bad_request");
  });

  it("validates the overlap and confines rotation to visible keys", async () => {
    const { t, caller, old } = await setup();
    for (const overlapSeconds of [-1, MAX_OVERLAP_SECONDS + 1, 1.5]) {
      const rotated = await rotateKey(t.ports, caller, { keyId: old.key.id, overlapSeconds });
      expect(rotated.ok ? undefined : rotated.error.kind).toBe("validation");
    }
    const maxOverlap = await rotateKey(t.ports, caller, {
      keyId: old.key.id,
      overlapSeconds: MAX_OVERLAP_SECONDS,
    });
    expect(maxOverlap.ok).toBe(true);

    const stranger = adminCaller(newId("organization"));
    const foreign = await rotateKey(t.ports, stranger, { keyId: old.key.id, overlapSeconds: 0 });
    expect(foreign.ok ? undefined : foreign.error.kind).toBe("not_found");
    const elsewhere = adminCaller(caller.organizationId, { namespaces: [newId("namespace")] });
    const hidden = await rotateKey(t.ports, elsewhere, { keyId: old.key.id, overlapSeconds: 0 });
    expect(hidden.ok ? undefined : hidden.error.kind).toBe("not_found");
  });
});
