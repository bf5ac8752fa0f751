import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-support/harness.js";
import { expectError, validationLocations } from "./expect-error.js";

describe("bad input never reaches a 5xx", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({ GATEWAY_BODY_LIMIT_BYTES: "2048" });
    admin = h.auth.addKey({ organizationId: "org_bad", permissions: ["admin"] }).secret;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("malformed JSON is a 400", async () => {
    const answer = await h.request("POST", "/v1/namespaces", {
      key: admin,
      headers: { "content-type": "application/json" },
      rawBody: '{"namespace_name": "x",',
    });
    expectError(answer, 400);
  });

  it("a body sent as another media type than JSON is a 415 naming what is accepted", async () => {
    const text = await h.request("POST", "/v1/namespaces", {
      key: admin,
      headers: { "content-type": "text/plain" },
      rawBody: "namespace_name=x",
    });
    expect(expectError(text, 415).details).toEqual({
      content_type: "text/plain",
      accepted: ["application/json"],
    });
    const form = await h.request("POST", "/v1/namespaces", {
      key: admin,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      rawBody: "namespace_name=x",
    });
    expectError(form, 415);
  });

  it("prototype poisoning is refused as a 400", async () => {
    const answer = await h.request("POST", "/v1/namespaces", {
      key: admin,
      headers: { "content-type": "application/json" },
      rawBody: '{"namespace_name":"x","__proto__":{"admin":true}}',
    });
    expectError(answer, 400);
  });

  it("a body over the limit is a 413", async () => {
    const answer = await h.request("POST", "/v1/namespaces", {
      key: admin,
      body: { namespace_name: "big", description: "x".repeat(4096) },
    });
    expectError(answer, 413);
  });

  it("wrong types, missing fields and unknown fields are 422 with every location", async () => {
    const answer = await h.request("POST", "/v1/api-keys", {
      key: admin,
      body: { permissions: ["read", "root"], colour: "blue", expires_at: 5 },
    });
    const { details } = expectError(answer, 422);
    expect(validationLocations(details).sort()).toEqual(
      ["body.colour", "body.expires_at", "body.name", "body.permissions[1]"].sort(),
    );
  });

  it("a JSON array or scalar instead of an object is a 422", async () => {
    for (const rawBody of ["[]", "42", '"text"', "null"]) {
      const answer = await h.request("POST", "/v1/namespaces", {
        key: admin,
        headers: { "content-type": "application/json" },
        rawBody,
      });
      expectError(answer, 422);
    }
  });

  it("an empty PATCH is a 422", async () => {
    const ns = h.namespaces.add("org_bad", "patch-me");
    const answer = await h.request("PATCH", `/v1/namespaces/${ns.namespaceId}`, { key: admin, body: {} });
    expectError(answer, 422);
  });

  it("malformed path ids are 404 without a gRPC call", async () => {
    const before = h.auth.count("getKey");
    for (const id of [
      "nope",
      "key_",
      "ns_123",
      "key_0OIl0OIl0OIl0OIl0OIl",
      "%F0%9F%92%A9",
      "x".repeat(600),
    ]) {
      expectError(await h.request("GET", `/v1/api-keys/${id}`, { key: admin }), 404);
      expectError(await h.request("DELETE", `/v1/api-keys/${id}`, { key: admin }), 404);
      expectError(await h.request("POST", `/v1/api-keys/${id}/rotate`, { key: admin, body: {} }), 404);
    }
    expect(h.auth.count("getKey")).toBe(before);
  });

  it("a malformed URL is a 400 in the common shape", async () => {
    expectError(await h.request("GET", "/v1/api-keys/%E0%A4%A", { key: admin }), 400);
  });

  it("invalid list parameters are 422, a bad cursor the service rejects is a 400", async () => {
    for (const query of [
      "limit=0",
      "limit=101",
      "limit=abc",
      "limit=1.5",
      "limit=",
      "limit=1&limit=2",
      "page=2",
    ]) {
      const answer = await h.request("GET", `/v1/api-keys?${query}`, { key: admin });
      expectError(answer, 422);
    }
    expectError(await h.request("GET", "/v1/api-keys?cursor=not-a-cursor", { key: admin }), 400);
    const page = await h.request("GET", "/v1/api-keys?limit=1", { key: admin });
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ data: [expect.objectContaining({ key_id: expect.any(String) })] });
  });

  it("unknown routes are 404 and wrong methods 405, in the common shape", async () => {
    expectError(await h.request("GET", "/v1/nothing-here"), 404);
    expectError(await h.request("PUT", "/v1/namespaces", { key: admin, body: {} }), 405);
    expectError(await h.request("GET", "/"), 404);
  });

  it("deeply nested attributes are a 422, not a stack overflow", async () => {
    const deep = `${'{"a":'.repeat(300)}1${"}".repeat(300)}`;
    const answer = await h.request("POST", "/v1/api-keys", {
      key: admin,
      headers: { "idempotency-key": "deep", "content-type": "application/json" },
      rawBody: `{"name":"deep","permissions":["read"],"attributes":{"deep":${deep}}}`,
    });
    const { details } = expectError(answer, 422);
    expect(validationLocations(details)).toEqual(["body.attributes"]);
  });

  it("a request node cannot parse still gets the common error body", async () => {
    const raw = await rawHttp(h.url, "GET /healthz HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n");
    const [head = "", body = ""] = raw.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400/);
    expect(head.toLowerCase()).toMatch(/x-request-id: req_/);
    expect(JSON.parse(body)).toMatchObject({
      success: false,
      status: 400,
      error: { type: "BadRequestError" },
    });
  });

  it("every answer carries X-Request-Id, each one different", async () => {
    const answers = await Promise.all([
      h.request("GET", "/healthz"),
      h.request("GET", "/v1/whoami", { key: admin }),
      h.request("GET", "/v1/whoami"),
      h.request("GET", "/readyz"),
      h.request("GET", "/v1/openapi.json"),
    ]);
    const ids = answers.map((a) => a.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^req_/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

function rawHttp(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("end", () => resolve(received));
    socket.on("error", reject);
  });
}
