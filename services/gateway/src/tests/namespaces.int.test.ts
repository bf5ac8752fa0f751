import { buildEvent } from "@strata/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-support/harness.js";
import { expectError, validationLocations } from "./expect-error.js";
import { eventually, publishEvent } from "./publish-event.js";

const ORG = "org_ns";
const OTHER_ORG = "org_other";

describe("namespaces and X-Namespace", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = h.auth.addKey({ organizationId: ORG, permissions: ["admin"] }).secret;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("X-Namespace resolves by id and by name", async () => {
    const ns = h.namespaces.add(ORG, "by-both");
    for (const identifier of [ns.namespaceId, "by-both"]) {
      const answer = await h.request("GET", "/v1/whoami", {
        key: admin,
        headers: { "x-namespace": identifier },
      });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toMatchObject({
        organization_id: ORG,
        namespace: { namespace_id: ns.namespaceId, namespace_name: "by-both" },
      });
    }
  });

  it("someone else's namespace, a missing one and one outside the key's scope are the same 404", async () => {
    const foreign = h.namespaces.add(OTHER_ORG, "theirs");
    const mine = h.namespaces.add(ORG, "mine");
    const elsewhere = h.namespaces.add(ORG, "elsewhere");
    const scoped = h.auth.addKey({
      organizationId: ORG,
      permissions: ["read"],
      namespaces: [mine.namespaceId],
    }).secret;
    const answers = [
      await h.request("GET", "/v1/whoami", { key: admin, headers: { "x-namespace": foreign.namespaceId } }),
      await h.request("GET", "/v1/whoami", {
        key: admin,
        headers: { "x-namespace": "ns_1111111111111111111111" },
      }),
      await h.request("GET", "/v1/whoami", {
        key: scoped,
        headers: { "x-namespace": elsewhere.namespaceId },
      }),
    ];
    const shapes = answers.map((a) => {
      const { message } = expectError(a, 404);
      return message;
    });
    expect(new Set(shapes).size).toBe(1);
    // The same for the path form.
    expectError(await h.request("GET", `/v1/namespaces/${foreign.namespaceId}`, { key: admin }), 404);
    expectError(await h.request("GET", "/v1/namespaces/theirs", { key: admin }), 404);
    expectError(await h.request("DELETE", `/v1/namespaces/${elsewhere.namespaceId}`, { key: scoped }), 403);
    expect(
      (await h.request("GET", "/v1/whoami", { key: scoped, headers: { "x-namespace": "mine" } })).status,
    ).toBe(200);
  });

  it("a request costs one gRPC hop at most: resolution is cached", async () => {
    const ns = h.namespaces.add(ORG, "cached");
    const key = h.auth.addKey({ organizationId: ORG, permissions: ["read"] }).secret;
    await h.request("GET", "/v1/whoami", { key, headers: { "x-namespace": "cached" } });
    const verify = h.auth.verifyCalls;
    const gets = h.namespaces.count("getNamespace");
    for (let i = 0; i < 3; i++) {
      const answer = await h.request("GET", "/v1/whoami", { key, headers: { "x-namespace": "cached" } });
      expect(answer.status).toBe(200);
    }
    expect(await h.request("GET", `/v1/namespaces/${ns.namespaceId}`, { key })).toMatchObject({
      status: 200,
    });
    expect(h.auth.verifyCalls).toBe(verify);
    // By id is a different cache entry: one lookup for it, none for the name.
    expect(h.namespaces.count("getNamespace")).toBe(gets + 1);
  });

  it("namespace.deleted and namespace.updated events drop cached resolutions", async () => {
    const ns = h.namespaces.add(ORG, "doomed");
    const headers = { "x-namespace": "doomed" };
    expect((await h.request("GET", "/v1/whoami", { key: admin, headers })).status).toBe(200);
    h.namespaces.namespaces.delete(ns.namespaceId);
    expect((await h.request("GET", "/v1/whoami", { key: admin, headers })).status).toBe(200);
    await publishEvent(
      h.nc,
      buildEvent(
        "namespace.deleted",
        { service: "namespace", organizationId: ORG, namespaceId: ns.namespaceId, subject: ns.namespaceId },
        { namespace_id: ns.namespaceId, organization_id: ORG, namespace_name: "doomed" },
      ),
    );
    await eventually(
      async () => (await h.request("GET", "/v1/whoami", { key: admin, headers })).status === 404,
      1000,
    );

    const renamed = h.namespaces.add(ORG, "before");
    expect(
      (await h.request("GET", "/v1/whoami", { key: admin, headers: { "x-namespace": "before" } })).status,
    ).toBe(200);
    h.namespaces.namespaces.set(renamed.namespaceId, { ...renamed, namespaceName: "after" });
    await publishEvent(
      h.nc,
      buildEvent(
        "namespace.updated",
        {
          service: "namespace",
          organizationId: ORG,
          namespaceId: renamed.namespaceId,
          subject: renamed.namespaceId,
        },
        {
          namespace_id: renamed.namespaceId,
          organization_id: ORG,
          namespace_name: "after",
          previous_namespace_name: "before",
          description: "",
        },
      ),
    );
    await eventually(
      async () =>
        (await h.request("GET", "/v1/whoami", { key: admin, headers: { "x-namespace": "before" } }))
          .status === 404,
      1000,
    );
  });

  it("create, list, get, patch and delete a namespace", async () => {
    const created = await h.request("POST", "/v1/namespaces", {
      key: admin,
      body: { namespace_name: "crud", description: "first" },
    });
    expect(created.status, created.text).toBe(201);
    const body = created.json as { namespace_id: string; created_at: string };
    expect(created.json).toMatchObject({
      namespace_name: "crud",
      description: "first",
      organization_id: ORG,
    });
    expect(body.namespace_id).toMatch(/^ns_/);
    expect(new Date(body.created_at).toISOString()).toBe(body.created_at);

    const dup = await h.request("POST", "/v1/namespaces", { key: admin, body: { namespace_name: "crud" } });
    expectError(dup, 409);

    const list = await h.request("GET", "/v1/namespaces?limit=100", { key: admin });
    expect(list.status).toBe(200);
    expect(
      (list.json as { data: Array<{ namespace_id: string }> }).data.map((n) => n.namespace_id),
    ).toContain(body.namespace_id);
    expect(list.json).toMatchObject({ next_cursor: null });

    expect((await h.request("GET", "/v1/namespaces/crud", { key: admin })).json).toMatchObject({
      namespace_id: body.namespace_id,
    });
    const patched = await h.request("PATCH", "/v1/namespaces/crud", {
      key: admin,
      body: { namespace_name: "crud2" },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ namespace_id: body.namespace_id, namespace_name: "crud2" });
    // The old name no longer resolves here, at once (no stale cache after our own change).
    expectError(await h.request("GET", "/v1/namespaces/crud", { key: admin }), 404);

    const deleted = await h.request("DELETE", `/v1/namespaces/${body.namespace_id}`, { key: admin });
    expect(deleted.status).toBe(200);
    expectError(await h.request("GET", `/v1/namespaces/${body.namespace_id}`, { key: admin }), 404);
  });

  it("POST /v1/api-keys resolves namespace names to ids; unknown names are a 422", async () => {
    const ns = h.namespaces.add(ORG, "for-keys");
    const created = await h.request("POST", "/v1/api-keys", {
      key: admin,
      body: { name: "scoped", permissions: ["read"], namespaces: ["for-keys", ns.namespaceId] },
    });
    expect(created.status, created.text).toBe(201);
    const key = created.json as { api_key: string; key_id: string; namespaces: string[]; status: string };
    expect(key.namespaces).toEqual([ns.namespaceId]);
    expect(key.api_key).toMatch(/^sk_live_/);
    expect(key.status).toBe("active");
    const who = await h.request("GET", "/v1/whoami", { key: key.api_key });
    expect(who.json).toMatchObject({
      key_id: key.key_id,
      permissions: ["read"],
      namespaces: [ns.namespaceId],
    });

    const unknown = await h.request("POST", "/v1/api-keys", {
      key: admin,
      body: { name: "bad", permissions: ["read"], namespaces: ["for-keys", "no-such-ns"] },
    });
    const { details } = expectError(unknown, 422);
    expect(validationLocations(details)).toEqual(["body.namespaces[1]"]);
  });

  it("a namespace-restricted admin cannot mint an organization-wide key", async () => {
    const ns = h.namespaces.add(ORG, "restricted-admin");
    const restricted = h.auth.addKey({
      organizationId: ORG,
      permissions: ["admin"],
      namespaces: [ns.namespaceId],
    });
    const answer = await h.request("POST", "/v1/api-keys", {
      key: restricted.secret,
      body: { name: "wide", permissions: ["read"] },
    });
    expectError(answer, 403);
  });

  it("list, get and rotate API keys", async () => {
    const target = h.auth.addKey({ organizationId: ORG, permissions: ["write"] });
    const got = await h.request("GET", `/v1/api-keys/${target.key.keyId}`, { key: admin });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ key_id: target.key.keyId, permissions: ["write"], expires_at: null });
    expect(got.text).not.toContain(target.secret);

    const rotated = await h.request("POST", `/v1/api-keys/${target.key.keyId}/rotate`, {
      key: admin,
      body: { overlap_seconds: 0 },
    });
    expect(rotated.status, rotated.text).toBe(201);
    const body = rotated.json as {
      api_key: string;
      key_id: string;
      previous: { key_id: string; status: string };
    };
    expect(body.previous).toMatchObject({ key_id: target.key.keyId, status: "revoked" });
    expect((await h.request("GET", "/v1/whoami", { key: body.api_key })).status).toBe(200);
    expectError(await h.request("GET", "/v1/whoami", { key: target.secret }), 401);

    const other = h.auth.addKey({ organizationId: OTHER_ORG, permissions: ["admin"] });
    expectError(await h.request("GET", `/v1/api-keys/${other.key.keyId}`, { key: admin }), 404);
  });

  it("rotates an API key with no body at all, the body being optional", async () => {
    const bare = h.auth.addKey({ organizationId: ORG, permissions: ["read"] });
    const withoutBody = await h.request("POST", `/v1/api-keys/${bare.key.keyId}/rotate`, { key: admin });
    expect(withoutBody.status, withoutBody.text).toBe(201);
    // Announcing JSON and sending no bytes is a malformed body, said plainly, and rotates nothing.
    const empty = h.auth.addKey({ organizationId: ORG, permissions: ["read"] });
    const emptyJson = await h.request("POST", `/v1/api-keys/${empty.key.keyId}/rotate`, {
      key: admin,
      headers: { "content-type": "application/json" },
      rawBody: "",
    });
    expect(emptyJson.status, emptyJson.text).toBe(400);
    expect(emptyJson.json).toMatchObject({ error: { type: "BadRequestError" } });
    expect((await h.request("GET", "/v1/whoami", { key: empty.secret })).status).toBe(200);
  });
});
