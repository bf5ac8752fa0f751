import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDEMPOTENCY_BUCKET } from "../idempotency/idempotency-store.js";
import { type Harness, startHarness } from "../test-support/harness.js";
import { expectError, validationLocations } from "./expect-error.js";

const ORG = "org_idem";

describe("Idempotency-Key", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = h.auth.addKey({ organizationId: ORG, permissions: ["admin"] }).secret;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("a retry with the same body gets the first answer, replayed, without a second create", async () => {
    const headers = { "idempotency-key": "create-key-1" };
    const body = { name: "once", permissions: ["read"] };
    const first = await h.request("POST", "/v1/api-keys", { key: admin, headers, body });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const creates = h.auth.count("createKey");

    // The same JSON with its keys in another order is the same request.
    const again = await h.request("POST", "/v1/api-keys", {
      key: admin,
      headers,
      body: { permissions: ["read"], name: "once" },
    });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    expect(h.auth.count("createKey")).toBe(creates);
  });

  it("the stored answer holds no secret in clear", async () => {
    const created = await h.request("POST", "/v1/api-keys", {
      key: admin,
      headers: { "idempotency-key": "secret-check" },
      body: { name: "secretive", permissions: ["read"] },
    });
    const secret = (created.json as { api_key: string }).api_key;
    const kv = await h.nc.jetstream().views.kv(IDEMPOTENCY_BUCKET);
    const keys = await kv.keys();
    let stored = "";
    for await (const k of keys)
      stored += Buffer.from((await kv.get(k))?.value ?? new Uint8Array()).toString("utf8");
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain("secretive");
  });

  it("the same key with a different body is a 422", async () => {
    const headers = { "idempotency-key": "ns-create-1" };
    const first = await h.request("POST", "/v1/namespaces", {
      key: admin,
      headers,
      body: { namespace_name: "idem-a" },
    });
    expect(first.status).toBe(201);
    const other = await h.request("POST", "/v1/namespaces", {
      key: admin,
      headers,
      body: { namespace_name: "idem-b" },
    });
    const { details } = expectError(other, 422);
    expect(validationLocations(details)).toEqual(["header.idempotency-key"]);
  });

  it("a duplicate that arrives while the first is in flight is a 409", async () => {
    const headers = { "idempotency-key": "slow-1" };
    const body = { name: "slow", permissions: ["read"] };
    h.auth.delayMs = 500;
    try {
      const first = h.request("POST", "/v1/api-keys", { key: admin, headers, body });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expectError(
        await h.request("POST", "/v1/api-keys", { key: admin, headers, body }),
        409,
        "ConflictError",
      );
      expect((await first).status).toBe(201);
    } finally {
      h.auth.delayMs = 0;
    }
    const replay = await h.request("POST", "/v1/api-keys", { key: admin, headers, body });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
  });

  it("a failed attempt is not kept: the retry runs again", async () => {
    const headers = { "idempotency-key": "dup-name" };
    h.namespaces.add(ORG, "taken");
    expectError(
      await h.request("POST", "/v1/namespaces", { key: admin, headers, body: { namespace_name: "taken" } }),
      409,
    );
    const creates = h.namespaces.count("createNamespace");
    expectError(
      await h.request("POST", "/v1/namespaces", { key: admin, headers, body: { namespace_name: "taken" } }),
      409,
    );
    expect(h.namespaces.count("createNamespace")).toBe(creates + 1);
  });

  it("keys are per API key: another caller's identical Idempotency-Key is independent", async () => {
    const other = h.auth.addKey({ organizationId: ORG, permissions: ["admin"] }).secret;
    const headers = { "idempotency-key": "shared-name" };
    const a = await h.request("POST", "/v1/api-keys", {
      key: admin,
      headers,
      body: { name: "a", permissions: ["read"] },
    });
    const b = await h.request("POST", "/v1/api-keys", {
      key: other,
      headers,
      body: { name: "a", permissions: ["read"] },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect((a.json as { key_id: string }).key_id).not.toBe((b.json as { key_id: string }).key_id);
  });

  it("rotation is idempotent too", async () => {
    const target = h.auth.addKey({ organizationId: ORG, permissions: ["read"] });
    const headers = { "idempotency-key": "rotate-1" };
    const path = `/v1/api-keys/${target.key.keyId}/rotate`;
    const first = await h.request("POST", path, { key: admin, headers, body: { overlap_seconds: 60 } });
    expect(first.status, first.text).toBe(201);
    const again = await h.request("POST", path, { key: admin, headers, body: { overlap_seconds: 60 } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    expect(h.auth.count("rotateKey")).toBe(1);
  });

  it("a body nested 100k levels deep is a 422, not a stack overflow", async () => {
    const deep = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    const answer = await h.request("POST", "/v1/api-keys", {
      key: admin,
      headers: { "idempotency-key": "deep", "content-type": "application/json" },
      rawBody: `{"name":"deep","permissions":["read"],"attributes":{"deep":${deep}}}`,
    });
    expectError(answer, 422);
    const elsewhere = await h.request("POST", "/v1/namespaces", {
      key: admin,
      headers: { "content-type": "application/json" },
      rawBody: `{"namespace_name":${deep}}`,
    });
    expectError(elsewhere, 422);
  });

  it("an unusable Idempotency-Key is a 422", async () => {
    const answer = await h.request("POST", "/v1/namespaces", {
      key: admin,
      headers: { "idempotency-key": "x".repeat(300) },
      body: { namespace_name: "long-key" },
    });
    expectError(answer, 422);
  });
});
