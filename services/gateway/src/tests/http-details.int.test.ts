import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-support/harness.js";
import { expectError } from "./expect-error.js";

describe("HTTP details (RFC 9110)", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = h.auth.addKey({ organizationId: "org_http", permissions: ["admin"] }).secret;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("a 401 carries WWW-Authenticate: Bearer, with or without a key", async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer sk_live_nope" },
      { authorization: `Basic ${admin}` },
    ];
    for (const headers of attempts) {
      const answer = await h.request("GET", "/v1/namespaces", { headers });
      expectError(answer, 401);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="strata"');
    }
    const allowed = await h.request("GET", "/v1/whoami", { key: admin });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("www-authenticate")).toBeNull();
  });

  it("a body of an unsupported media type is a 415 with the error body, and nothing is created", async () => {
    const before = h.namespaces.namespaces.size;
    for (const contentType of ["text/plain", "application/xml", "multipart/form-data; boundary=x"]) {
      const answer = await h.request("POST", "/v1/namespaces", {
        key: admin,
        headers: { "content-type": contentType },
        rawBody: "namespace_name=x",
      });
      const { details } = expectError(answer, 415);
      expect(details).toMatchObject({ accepted: ["application/json"] });
    }
    expect(h.namespaces.namespaces.size).toBe(before);
  });

  it("a wrong method on a known path is a 405 listing the allowed methods in Allow", async () => {
    const cases: Array<[string, string, string]> = [
      ["PUT", "/v1/namespaces", "GET, HEAD, POST"],
      ["POST", "/v1/namespaces/ns_123", "GET, HEAD, PATCH, DELETE"],
      ["PATCH", "/v1/whoami", "GET, HEAD"],
      ["POST", "/v1/buckets/b/objects/a/b.txt", "GET, HEAD, PUT, DELETE"],
      ["POST", "/v1/buckets/b/objects/a%2Fb.txt", "GET, HEAD, PUT, DELETE"],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await h.request(method, path, { key: admin });
      const { details } = expectError(answer, 405);
      expect(answer.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(details).toEqual({ method, allowed: allow.split(", ") });
    }
  });

  it("an unknown path stays a 404 whatever the method", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const answer = await h.request(method, "/v1/no-such-thing", { key: admin });
      expectError(answer, 404);
      expect(answer.headers.get("allow")).toBeNull();
    }
  });
});
