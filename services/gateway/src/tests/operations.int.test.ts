import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-support/harness.js";
import { expectError } from "./expect-error.js";
import { checkOpenApiDocument } from "./openapi-check.js";

describe("operations endpoints", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("/healthz and /readyz answer while everything is up", async () => {
    expect((await h.request("GET", "/healthz")).json).toEqual({ status: "ok" });
    const ready = await h.request("GET", "/readyz");
    expect(ready.status, ready.text).toBe(200);
    expect(ready.json).toEqual({
      status: "ready",
      checks: {
        nats: true,
        auth: true,
        namespace: true,
        "acl-query": true,
        "webhook-dispatcher": true,
        "tier-migrator": true,
        manifest: true,
      },
    });
    expect(await h.gateway.ready()).toBe(true);
  });

  it("/metrics is not served on the public port; request and auth-cache metrics go to the registry", async () => {
    expectError(await h.request("GET", "/metrics"), 404);
    const { secret } = h.auth.addKey({ organizationId: "org_ops", permissions: ["read"] });
    await h.request("GET", "/v1/whoami", { key: secret });
    await h.request("GET", "/v1/whoami", { key: secret });
    const answer = { text: await h.metricsRegistry.metrics() };
    expect(answer.text).toMatch(
      /strata_http_requests_total\{method="GET",route="\/v1\/whoami",status="200"\} [1-9]/,
    );
    expect(answer.text).toMatch(
      /strata_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/v1\/whoami"/,
    );
    expect(answer.text).toMatch(/strata_auth_cache_total\{result="hit"\} [1-9]/);
    expect(answer.text).toMatch(/strata_auth_cache_total\{result="miss"\} [1-9]/);
  });

  it("/v1/openapi.json is an OpenAPI 3.1 document listing every route", async () => {
    const answer = await h.request("GET", "/v1/openapi.json");
    expect(answer.status).toBe(200);
    const problems = checkOpenApiDocument(answer.json);
    expect(problems).toEqual([]);
    const doc = answer.json as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            security?: unknown[];
            parameters?: Array<{ name: string; in: string }>;
            responses?: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        "GET /healthz",
        "GET /readyz",
        "GET /v1/openapi.json",
        "GET /v1/asyncapi.json",
        "GET /v1/whoami",
        "POST /v1/api-keys",
        "GET /v1/api-keys",
        "GET /v1/api-keys/{id}",
        "DELETE /v1/api-keys/{id}",
        "POST /v1/api-keys/{id}/rotate",
        "POST /v1/namespaces",
        "GET /v1/namespaces",
        "GET /v1/namespaces/{id}",
        "PATCH /v1/namespaces/{id}",
        "DELETE /v1/namespaces/{id}",
        "POST /v1/namespaces/{id}/clone",
        "GET /v1/namespaces/{id}/clone-status",
        "POST /v1/namespaces/{id}/clone/cancel",
        "POST /v1/collections",
        "GET /v1/collections",
        "GET /v1/collections/{id}",
        "PATCH /v1/collections/{id}",
        "DELETE /v1/collections/{id}",
        "POST /v1/collections/{id}/documents",
        "GET /v1/collections/{id}/documents",
        "POST /v1/collections/{id}/documents/list",
        "GET /v1/collections/{id}/documents/{doc}",
        "PATCH /v1/collections/{id}/documents/{doc}",
        "DELETE /v1/collections/{id}/documents/{doc}",
        "PUT /v1/collections/{id}/documents/{doc}/acl",
        "POST /v1/collections/{id}/documents/{doc}/tier",
        "POST /v1/principals",
        "GET /v1/principals",
        "GET /v1/principals/{principal_id}",
        "PATCH /v1/principals/{principal_id}",
        "DELETE /v1/principals/{principal_id}",
        "POST /v1/acl/rules",
        "GET /v1/acl/rules",
        "GET /v1/acl/rules/{rule}",
        "PATCH /v1/acl/rules/{rule}",
        "DELETE /v1/acl/rules/{rule}",
        "POST /v1/collections/{id}/documents/batch",
        "GET /v1/batches/{id}",
        "POST /v1/taxonomies",
        "GET /v1/taxonomies",
        "GET /v1/taxonomies/{id}",
        "PATCH /v1/taxonomies/{id}",
        "DELETE /v1/taxonomies/{id}",
        "POST /v1/retrievers",
        "GET /v1/retrievers",
        "GET /v1/retrievers/{id}",
        "PATCH /v1/retrievers/{id}",
        "DELETE /v1/retrievers/{id}",
        "POST /v1/retrievers/{id}/execute",
        "POST /v1/alerts",
        "GET /v1/alerts",
        "GET /v1/alerts/{id}",
        "PATCH /v1/alerts/{id}",
        "DELETE /v1/alerts/{id}",
        "POST /v1/webhooks",
        "GET /v1/webhooks",
        "GET /v1/webhooks/{id}",
        "PATCH /v1/webhooks/{id}",
        "DELETE /v1/webhooks/{id}",
        "POST /v1/webhooks/{id}/rotate-secret",
        "GET /v1/webhooks/{id}/deliveries",
        "POST /v1/webhooks/{id}/deliveries/{delivery_id}/replay",
        "POST /v1/webhooks/{id}/recover",
        "POST /v1/webhooks/{id}/test",
        "GET /v1/tiering/policy",
        "PUT /v1/tiering/policy",
        "POST /v1/tiering/sweep",
        "GET /v1/tiering/jobs/{id}",
        "GET /v1/tiering/stats",
        "POST /v1/buckets",
        "GET /v1/buckets",
        "GET /v1/buckets/{id}",
        "DELETE /v1/buckets/{id}",
        "GET /v1/buckets/{id}/objects",
        "PUT /v1/buckets/{id}/objects/{key}",
        "GET /v1/buckets/{id}/objects/{key}",
        "HEAD /v1/buckets/{id}/objects/{key}",
        "DELETE /v1/buckets/{id}/objects/{key}",
        "GET /v1/manifest/export",
        "POST /v1/manifest/diff",
        "POST /v1/manifest/apply",
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const whoamiHeaders = doc.paths["/v1/whoami"]?.get?.parameters?.filter((p) => p.in === "header") ?? [];
    expect(whoamiHeaders.map((p) => p.name.toLowerCase())).toContain("x-namespace");
    expect(doc.paths["/healthz"]?.get?.security).toEqual([]);
    // An object's download is its bytes under their stored Content-Type, not JSON.
    const download = doc.paths["/v1/buckets/{id}/objects/{key}"]?.get?.responses?.["200"]?.content ?? {};
    expect(Object.keys(download)).toEqual(["*/*"]);
  });

  it("/docs is a readable page whose assets are served here, not from a CDN", async () => {
    const page = await h.request("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source).not.toMatch(/^(https?:)?\/\//);
    }
    const script = sources.find((s) => s.endsWith(".js"));
    if (script === undefined) throw new Error("no script on the docs page");
    const asset = await h.request("GET", new URL(script, `${h.url}/docs/`).pathname);
    expect(asset.status).toBe(200);
  });

  it("/v1/asyncapi.json describes the events", async () => {
    const answer = await h.request("GET", "/v1/asyncapi.json");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ asyncapi: expect.stringMatching(/^3\./) });
  });

  it("/readyz is a 503 when a backing service is down", async () => {
    await h.namespaceServer.shutdown(0);
    const answer = await h.request("GET", "/readyz");
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({
      status: "not_ready",
      checks: { nats: true, auth: true, namespace: false },
    });
    expect(await h.gateway.ready()).toBe(false);
    // And a call that needs it is a 503 too.
    const { secret } = h.auth.addKey({ organizationId: "org_ops", permissions: ["read"] });
    expectError(await h.request("GET", "/v1/namespaces", { key: secret }), 503);
  });
});

describe("graceful stop", () => {
  it("finishes requests in flight and refuses new ones", async () => {
    const h = await startHarness();
    try {
      const { secret } = h.auth.addKey({ organizationId: "org_stop", permissions: ["admin"] });
      await h.request("GET", "/v1/whoami", { key: secret });
      h.auth.delayMs = 400;
      const inFlight = h.request("GET", "/v1/api-keys", { key: secret });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stopping = h.gateway.stop();
      const answer = await inFlight;
      expect(answer.status, answer.text).toBe(200);
      await stopping;
      await expect(fetch(`${h.url}/healthz`)).rejects.toThrow();
    } finally {
      h.auth.delayMs = 0;
      await h.stop();
    }
  });
});
