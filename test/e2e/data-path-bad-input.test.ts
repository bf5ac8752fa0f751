import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Collection, type DataPath, startDataPath, URI } from "./data-path-fixture.js";
import { callApi, expectErrorBody, type TestPlatform } from "./harness.js";

/** Bad input on the data path: every failure has the documented status and body, and writes nothing. */
let platform: TestPlatform;
let namespaceId: string;
let collection: Collection;

beforeAll(async () => {
  ({ platform, namespaceId, collection, docs, createDoc } = await startDataPath());
});
afterAll(async () => {
  await platform?.stop();
});

let docs: DataPath["docs"];
let createDoc: DataPath["createDoc"];

describe("bad input on the data path", () => {
  async function expectNothingWritten(documentId: string): Promise<void> {
    expectErrorBody(
      await platform.call("GET", docs(`/${documentId}`), { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
  }

  it("a wrong dimension, an unknown feature URI or metadata breaking the schema is a 422, nothing written", async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ["bad-dim", { features: { [URI]: [1, 2] } }],
      ["bad-uri", { features: { "strata://nope@v1/x": [1, 2, 3] } }],
      ["bad-meta", { metadata: { year: "twenty" }, features: { [URI]: [1, 2, 3] } }],
    ];
    for (const [id, body] of cases) {
      const answer = await createDoc({ document_id: id, ...body });
      const { details } = expectErrorBody(answer, 422, "ValidationError");
      expect(JSON.stringify(details), id).toMatch(/body\.(features|metadata)/);
      await expectNothingWritten(id);
    }
  });

  it("a vector value that overflows to Infinity is a 422", async () => {
    const answer = await platform.call("POST", docs(), {
      namespace: namespaceId,
      body: `{"document_id":"inf","features":{"${URI}":[1e999,0,0]}}`,
    });
    expectErrorBody(answer, 422, "ValidationError");
    await expectNothingWritten("inf");
  });

  it("a filter on a field that is not indexed is a 422", async () => {
    const answer = await platform.call("POST", docs("/list"), {
      namespace: namespaceId,
      body: { filters: { AND: [{ field: "metadata.year", operator: "eq", value: 1 }] } },
    });
    expectErrorBody(answer, 422, "ValidationError");
  });

  it("unknown fields are a 422", async () => {
    const answer = await createDoc({ document_id: "x1", colour: "red" });
    const { details } = expectErrorBody(answer, 422, "ValidationError");
    expect(JSON.stringify(details)).toContain("body.colour");
  });

  it("a document or collection of another namespace is a 404", async () => {
    const other = await platform.call("POST", "/v1/namespaces", { body: { namespace_name: "elsewhere" } });
    expect(other.status).toBe(201);
    const mine = await createDoc({ document_id: "private-1", features: { [URI]: [1, 1, 0] } });
    expect(mine.status).toBe(201);
    for (const method of ["GET", "DELETE"]) {
      expectErrorBody(
        await platform.call(method, docs("/private-1"), { namespace: "elsewhere" }),
        404,
        "NotFoundError",
      );
    }
    expectErrorBody(
      await platform.call("GET", `/v1/collections/${collection.collection_id}`, { namespace: "elsewhere" }),
      404,
      "NotFoundError",
    );
    const still = await platform.call("GET", docs("/private-1"), { namespace: namespaceId });
    expect(still.status).toBe(200);
  });

  it("a missing X-Namespace is a 400 and an unknown one a 404", async () => {
    for (const [method, path] of [
      ["GET", "/v1/collections"],
      ["POST", docs()],
      ["GET", "/v1/taxonomies"],
    ] as const) {
      const body = method === "POST" ? { features: { [URI]: [1, 0, 0] } } : undefined;
      expectErrorBody(await platform.call(method, path, { body }), 400, "BadRequestError");
    }
    expectErrorBody(
      await platform.call("GET", "/v1/collections", { namespace: "no-such-namespace" }),
      404,
      "NotFoundError",
    );
  });

  it("a read key can read but not write", async () => {
    const key = await platform.call<{ api_key: string }>("POST", "/v1/api-keys", {
      body: { name: "reader", permissions: ["read"] },
    });
    expect(key.status).toBe(201);
    expect((await createDoc({ document_id: "a1", features: { [URI]: [1, 0, 0] } })).status).toBe(201);
    const reader = { key: key.body.api_key, namespace: namespaceId };
    const read = await callApi(platform.url, "GET", docs("/a1"), reader);
    expect(read.status).toBe(200);
    const listed = await callApi(platform.url, "POST", docs("/list"), { ...reader, body: {} });
    expect(listed.status).toBe(200);
    for (const [method, path, body] of [
      ["POST", docs(), { features: { [URI]: [1, 0, 0] } }],
      ["PATCH", docs("/a1"), { text: "x" }],
      ["DELETE", docs("/a1"), undefined],
      ["POST", "/v1/collections", { collection_name: "c", features: [] }],
      ["POST", "/v1/taxonomies", { taxonomy_name: "t", nodes: [] }],
    ] as const) {
      expectErrorBody(await callApi(platform.url, method, path, { ...reader, body }), 403, "ForbiddenError");
    }
  });
});
