import { newId } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { createKey } from "./create-key.js";
import { retireDeletedNamespaceFromKeys } from "./namespace-keys.js";
import { createOrganization } from "./organizations.js";
import { API_KEYS_TABLE, type ApiKeyRecord } from "./tables.js";
import { adminCaller, testAuth } from "./test-support.js";

describe("retireDeletedNamespaceFromKeys", () => {
  it("revokes keys restricted to the deleted namespace alone and narrows the others", async () => {
    const t = await testAuth();
    const org = await createOrganization(t.ports, "Acme");
    if (!org.ok) throw new Error("organization not created");
    const orgId = org.value.organization.id;
    const admin = adminCaller(orgId, { keyId: org.value.admin.key.id });
    const [gone, kept] = [newId("namespace"), newId("namespace")];
    const keyFor = async (namespaces: string[]) => {
      const created = await createKey(t.ports, admin, {
        name: "k",
        permissions: ["read"],
        namespaces,
        roles: [],
      });
      if (!created.ok) throw new Error(created.error.message);
      return created.value.key.id;
    };
    const only = await keyFor([gone]);
    const both = await keyFor([gone, kept]);
    const elsewhere = await keyFor([kept]);
    const eventsBefore = (await t.events()).length;

    const outcome = await retireDeletedNamespaceFromKeys(t.ports, orgId, gone);
    expect(outcome).toEqual({ ok: true, value: { revoked: 1, narrowed: 1 } });

    const table = t.store.table<ApiKeyRecord>(API_KEYS_TABLE);
    const read = async (id: string) => (await table.get(id))?.record;
    expect(await read(only)).toMatchObject({ status: "revoked", namespaces: [gone] });
    expect(await read(both)).toMatchObject({ status: "active", namespaces: [kept] });
    expect(await read(elsewhere)).toMatchObject({ status: "active", namespaces: [kept] });
    // The org-wide admin key (namespaces []) is untouched: it never named the namespace.
    expect(await read(org.value.admin.key.id)).toMatchObject({ status: "active", namespaces: [] });
    const events = (await t.events()).slice(eventsBefore);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["api_key.revoked", expect.objectContaining({ key_id: only, reason: "namespace_deleted" })],
    ]);

    // A redelivered event changes nothing more.
    expect(await retireDeletedNamespaceFromKeys(t.ports, orgId, gone)).toEqual({
      ok: true,
      value: { revoked: 0, narrowed: 0 },
    });
    expect((await t.events()).length).toBe(eventsBefore + 1);
  });
});
