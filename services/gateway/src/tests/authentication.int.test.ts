import { buildEvent } from "@strata/events";
import { generateApiKeySecret } from "@strata/ids";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-support/harness.js";
import { expectError } from "./expect-error.js";
import { eventually, publishEvent } from "./publish-event.js";

const ORG = "org_auth";

describe("authentication", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("every way of failing is the same 401, and malformed keys never reach the auth service", async () => {
    const revoked = h.auth.addKey({ organizationId: ORG, permissions: ["admin"] });
    h.auth.revoke(revoked.key.keyId);
    const expired = h.auth.addKey({
      organizationId: ORG,
      permissions: ["admin"],
      expiresAt: new Date(Date.now() - 1000),
    });
    const valid = h.auth.addKey({ organizationId: ORG, permissions: ["admin"] }).secret;
    const before = h.auth.verifyCalls;
    const malformed: Array<Record<string, string>> = [
      {},
      { authorization: "" },
      { authorization: `Basic ${valid}` },
      { authorization: "Bearer" },
      { authorization: "Bearer sk_live_short" },
      // Checksum broken: the last character changed (to one it is not already, or 1 run in 62 fails).
      { authorization: `Bearer ${valid.slice(0, -1)}${valid.endsWith("x") ? "y" : "x"}` },
      { authorization: `Bearer ${valid} extra` },
    ];
    const messages = new Set<string>();
    for (const headers of malformed) {
      messages.add(expectError(await h.request("GET", "/v1/whoami", { headers }), 401).message);
    }
    expect(h.auth.verifyCalls).toBe(before);
    for (const secret of [generateApiKeySecret(), revoked.secret, expired.secret]) {
      messages.add(expectError(await h.request("GET", "/v1/whoami", { key: secret }), 401).message);
    }
    expect(h.auth.verifyCalls).toBe(before + 3);
    expect(messages.size).toBe(1);
  });

  it("public routes need no key", async () => {
    for (const path of ["/healthz", "/v1/openapi.json", "/v1/asyncapi.json", "/docs"]) {
      const answer = await h.request("GET", path);
      expect(answer.status, path).toBe(200);
    }
  });

  it("a verified key is cached: the second request makes no VerifyKey call", async () => {
    const { secret } = h.auth.addKey({ organizationId: ORG, permissions: ["read"] });
    const before = h.auth.verifyCalls;
    expect((await h.request("GET", "/v1/whoami", { key: secret })).status).toBe(200);
    expect((await h.request("GET", "/v1/whoami", { key: secret })).status).toBe(200);
    expect((await h.request("GET", "/v1/whoami", { key: secret })).status).toBe(200);
    expect(h.auth.verifyCalls).toBe(before + 1);
  });

  it("an unknown key is remembered briefly too (negative cache)", async () => {
    const unknown = generateApiKeySecret();
    const before = h.auth.verifyCalls;
    expectError(await h.request("GET", "/v1/whoami", { key: unknown }), 401);
    expectError(await h.request("GET", "/v1/whoami", { key: unknown }), 401);
    expect(h.auth.verifyCalls).toBe(before + 1);
  });

  it("an api_key.revoked event on NATS makes a cached key fail within 1 s", async () => {
    const { secret, key } = h.auth.addKey({ organizationId: ORG, permissions: ["admin"] });
    expect((await h.request("GET", "/v1/whoami", { key: secret })).status).toBe(200);
    // Revoked in the service's store, but the gateway has not heard yet: the cache still answers.
    h.auth.revoke(key.keyId);
    expect((await h.request("GET", "/v1/whoami", { key: secret })).status).toBe(200);
    const event = buildEvent(
      "api_key.revoked",
      { service: "auth", organizationId: ORG, subject: key.keyId },
      { key_id: key.keyId, organization_id: ORG, revoked_at: new Date().toISOString(), reason: "revoked" },
    );
    await publishEvent(h.nc, event);
    const took = await eventually(
      async () => (await h.request("GET", "/v1/whoami", { key: secret })).status === 401,
      1000,
    );
    expect(took).toBeLessThan(1000);
  });

  it("an api_key.rotated event drops the cache entry, so the new expiry applies", async () => {
    const { secret, key } = h.auth.addKey({ organizationId: ORG, permissions: ["admin"] });
    expect((await h.request("GET", "/v1/whoami", { key: secret })).status).toBe(200);
    const entry = h.auth.keys.get(key.keyId);
    if (entry === undefined) throw new Error("the key vanished");
    entry.key = { ...entry.key, expiresAt: new Date(Date.now() - 1) };
    await publishEvent(
      h.nc,
      buildEvent(
        "api_key.rotated",
        { service: "auth", organizationId: ORG, subject: key.keyId },
        {
          key_id: key.keyId,
          organization_id: ORG,
          replaced_by: "key_new",
          expires_at: new Date().toISOString(),
        },
      ),
    );
    await eventually(
      async () => (await h.request("GET", "/v1/whoami", { key: secret })).status === 401,
      1000,
    );
  });

  it("a cached key stops at its own expires_at without asking the service", async () => {
    const { secret } = h.auth.addKey({
      organizationId: ORG,
      permissions: ["read"],
      expiresAt: new Date(Date.now() + 600),
    });
    expect((await h.request("GET", "/v1/whoami", { key: secret })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expectError(await h.request("GET", "/v1/whoami", { key: secret }), 401);
  });

  it("revoking through the API makes the key fail at once on this gateway", async () => {
    const admin = h.auth.addKey({ organizationId: ORG, permissions: ["admin"] }).secret;
    const victim = h.auth.addKey({ organizationId: ORG, permissions: ["read"] });
    expect((await h.request("GET", "/v1/whoami", { key: victim.secret })).status).toBe(200);
    const revoked = await h.request("DELETE", `/v1/api-keys/${victim.key.keyId}`, { key: admin });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toMatchObject({ key_id: victim.key.keyId, status: "revoked" });
    expectError(await h.request("GET", "/v1/whoami", { key: victim.secret }), 401);
  });

  it("permissions: a read key cannot write or manage, a write key cannot administer (403)", async () => {
    const read = h.auth.addKey({ organizationId: ORG, permissions: ["read"] }).secret;
    const write = h.auth.addKey({ organizationId: ORG, permissions: ["write"] }).secret;
    const before = h.namespaces.count("createNamespace");
    for (const key of [read, write]) {
      expectError(await h.request("POST", "/v1/namespaces", { key, body: { namespace_name: "nope" } }), 403);
      expectError(
        await h.request("POST", "/v1/api-keys", { key, body: { name: "k", permissions: ["read"] } }),
        403,
      );
      expectError(await h.request("GET", "/v1/api-keys", { key }), 403);
      expectError(await h.request("DELETE", "/v1/namespaces/anything", { key }), 403);
    }
    expect(h.namespaces.count("createNamespace")).toBe(before);
    expect((await h.request("GET", "/v1/namespaces", { key: read })).status).toBe(200);
  });
});

describe("rate limit and unavailable services", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ GATEWAY_RATE_LIMIT_MAX: "3", GATEWAY_RATE_LIMIT_WINDOW: "1m" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("each key has its own budget; over it is a 429 with Retry-After", async () => {
    const first = h.auth.addKey({ organizationId: ORG, permissions: ["read"] }).secret;
    const second = h.auth.addKey({ organizationId: ORG, permissions: ["read"] }).secret;
    for (let i = 0; i < 3; i++)
      expect((await h.request("GET", "/v1/whoami", { key: first })).status).toBe(200);
    const limited = await h.request("GET", "/v1/whoami", { key: first });
    expectError(limited, 429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await h.request("GET", "/v1/whoami", { key: second })).status).toBe(200);
    // Public routes are not counted against anyone.
    for (let i = 0; i < 5; i++) expect((await h.request("GET", "/healthz")).status).toBe(200);
  });

  it("an unreachable auth service is a 503, never a 401", async () => {
    const { secret } = h.auth.addKey({ organizationId: ORG, permissions: ["read"] });
    await h.authServer.shutdown(0);
    const answer = await h.request("GET", "/v1/whoami", { key: secret });
    const { message } = expectError(answer, 503);
    expect(message).not.toMatch(/127\.0\.0\.1|:\d{2,5}/);
  });
});
