import { generateApiKeySecret } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { createKey } from "./create-key.js";
import { revokeKey } from "./manage-keys.js";
import { createOrganization } from "./organizations.js";
import { adminCaller, testAuth } from "./test-support.js";
import { verifyKey } from "./verify-key.js";

describe("verifyKey", () => {
  it("accepts an active key and answers every other case identically", async () => {
    const t = await testAuth();
    const org = await createOrganization(t.ports, "Acme");
    if (!org.ok) throw new Error("no org");
    const caller = adminCaller(org.value.organization.id);
    const make = async (expiresInMs?: number) => {
      const created = await createKey(t.ports, caller, {
        name: "k",
        permissions: ["read"],
        namespaces: [],
        roles: [],
        expiresAt: expiresInMs === undefined ? undefined : new Date(t.now().getTime() + expiresInMs),
      });
      if (!created.ok) throw new Error("no key");
      return created.value;
    };
    const active = await make();
    const revoked = await make();
    await revokeKey(t.ports, caller, revoked.key.id);
    const expiring = await make(1000);

    const ok = await verifyKey(t.ports, active.secret);
    expect(ok).toEqual({ valid: true, key: expect.objectContaining({ id: active.key.id }) });
    expect((await verifyKey(t.ports, expiring.secret)).valid).toBe(true);
    t.advance(1000);

    const malformed = [active.secret.slice(0, -1), `${active.secret}x`, "", "sk_live_short", "Bearer x"];
    const answers = await Promise.all(
      [...malformed, generateApiKeySecret(), revoked.secret, expiring.secret].map((s) =>
        verifyKey(t.ports, s),
      ),
    );
    for (const answer of answers) expect(answer).toEqual({ valid: false });
  });
});
