import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, callApi, startTestPlatform, type TestPlatform } from "./harness.js";

/**
 * Random bodies, paths and headers against every route of the OpenAPI document: the gateway must
 * never answer 5xx to bad input, and every error must carry the documented body and X-Request-Id.
 */
let platform: TestPlatform;
let routes: Array<{ method: string; path: string }>;

beforeAll(async () => {
  // A generous limit: the property is about input handling, not the per-key rate limit.
  platform = await startTestPlatform({ GATEWAY_RATE_LIMIT_MAX: "1000000" });
  const spec = await callApi<{ paths: Record<string, Record<string, unknown>> }>(
    platform.url,
    "GET",
    "/v1/openapi.json",
  );
  routes = Object.entries(spec.body.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(async () => {
  await platform?.stop();
});

const segment = fc.oneof(
  fc.constantFrom(
    "ns_1111111111111111111111",
    "key_1111111111111111111111",
    "production",
    "..",
    "%00",
    "%2F",
    "",
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);
const jsonBody = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    "{",
    "[]",
    "null",
    '{"namespace_name":',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
  fc
    .record(
      {
        name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        namespace_name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        permissions: fc.oneof(
          fc.array(fc.string()),
          fc.string(),
          fc.array(fc.constantFrom("read", "write", "admin")),
        ),
        namespaces: fc.oneof(fc.array(fc.string()), fc.integer()),
        expires_at: fc.oneof(
          fc.string(),
          fc.integer(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        overlap_seconds: fc.oneof(fc.integer(), fc.double(), fc.string()),
        description: fc.string({ maxLength: 600 }),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);
const printable = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, ""));

function checkAnswer(response: ApiResponse, label: string): void {
  expect(response.status, `${label} → ${response.status} ${JSON.stringify(response.body)}`).toBeLessThan(500);
  const requestId = response.headers.get("x-request-id");
  expect(requestId, label).toMatch(/^req_/);
  if (response.status >= 400) {
    const body = response.body as {
      success?: unknown;
      status?: unknown;
      error?: { type?: unknown; message?: unknown };
      request_id?: unknown;
    };
    expect(body.success, label).toBe(false);
    expect(body.status, label).toBe(response.status);
    expect(typeof body.error?.type, label).toBe("string");
    expect(typeof body.error?.message, label).toBe("string");
    expect(body.request_id, label).toBe(requestId);
    expect(JSON.stringify(body), label).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  }
}

describe("bad input never breaks the gateway", () => {
  it("answers random requests to every route without a 5xx and with the documented error body", async () => {
    expect(routes.length).toBeGreaterThan(8);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(segment, { minLength: 3, maxLength: 3 }),
        jsonBody,
        fc.constantFrom("valid", "none", "garbage", "wrong-scheme"),
        fc.option(printable, { nil: undefined }),
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", undefined),
        fc.option(
          fc.constantFrom("?limit=0", "?limit=abc", "?cursor=%%%", "?limit=1000000", "?cursor=eyJ4IjoxfQ"),
          {
            nil: "",
          },
        ),
        async (pick, params, body, auth, namespace, contentType, query) => {
          const route = routes[pick % routes.length];
          if (route === undefined) return;
          let index = 0;
          const path = route.path.replace(/\{[^}]+\}/g, () => params[index++] ?? "x");
          const headers: Record<string, string> = {};
          if (auth === "valid") headers.authorization = `Bearer ${platform.adminKey}`;
          if (auth === "garbage") headers.authorization = "Bearer sk_live_garbage";
          if (auth === "wrong-scheme") headers.authorization = `Basic ${platform.adminKey}`;
          if (namespace !== undefined) headers["x-namespace"] = namespace;
          const hasBody = route.method !== "GET" && route.method !== "DELETE";
          if (hasBody && contentType !== undefined) headers["content-type"] = contentType;
          const response = await callApi(platform.url, route.method, `${path}${query}`, {
            headers,
            ...(hasBody ? { body } : {}),
          });
          checkAnswer(response, `${route.method} ${path}${query}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
