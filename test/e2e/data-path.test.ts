import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, expectErrorBody, startTestPlatform, type TestPlatform } from "./harness.js";

/** Collections, documents and taxonomies through the gateway's REST API, on the real platform. */
interface Collection {
  collection_id: string;
  namespace_id: string;
  collection_name: string;
  features: Array<{ feature_uri: string; dimensions: number; metric: string }>;
  metadata_schema: Record<string, unknown> | null;
  indexed_fields: string[];
}
// A type alias (not an interface) so it is assignable to the harness's Record-shaped responses.
type Doc = {
  document_id: string;
  collection_id: string;
  namespace_id: string;
  metadata: Record<string, unknown>;
  feature_uris: string[];
  features?: Record<string, number[]>;
  text: string | null;
  taxonomy_labels: Array<{ taxonomy_id: string; label: string }>;
  _acl: { owner: string | null; read: string[]; write: string[]; public: boolean };
  tier: string;
  tier_changed_at: string | null;
  created_at: string;
  updated_at: string;
};
interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
interface Taxonomy {
  taxonomy_id: string;
  taxonomy_name: string;
  nodes: Array<{ label: string; parent: string | null }>;
}

const URI = "strata://test@v1/embedding";
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let platform: TestPlatform;
let namespaceId: string;
let collection: Collection;

beforeAll(async () => {
  platform = await startTestPlatform();
  const namespace = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
    body: { namespace_name: "data-path" },
  });
  expect(namespace.status).toBe(201);
  namespaceId = namespace.body.namespace_id;
  const created = await platform.call<Collection>("POST", "/v1/collections", {
    namespace: "data-path",
    body: {
      collection_name: "articles",
      features: [{ feature_uri: URI, dimensions: 3 }],
      metadata_schema: {
        type: "object",
        properties: { year: { type: "integer" }, category: { type: "string" } },
      },
      indexed_fields: ["category"],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  collection = created.body;
});
afterAll(async () => {
  await platform?.stop();
});

function docs(path = ""): string {
  return `/v1/collections/${collection.collection_id}/documents${path}`;
}

async function createDoc(body: Record<string, unknown>, namespace = namespaceId) {
  return platform.call<Doc>("POST", docs(), { namespace, body });
}

describe("collections", () => {
  it("creates a collection with cosine as the default metric, reachable by id and by name", async () => {
    expect(collection).toMatchObject({
      collection_id: expect.stringMatching(/^col_/),
      namespace_id: namespaceId,
      collection_name: "articles",
      features: [{ feature_uri: URI, dimensions: 3, metric: "cosine" }],
      indexed_fields: ["category"],
    });
    for (const [identifier, namespace] of [
      [collection.collection_id, "data-path"],
      ["articles", namespaceId],
    ] as const) {
      const got = await platform.call<Collection>("GET", `/v1/collections/${identifier}`, { namespace });
      expect(got.status).toBe(200);
      expect(got.body.collection_id).toBe(collection.collection_id);
    }
    const listed = await platform.call<Page<Collection>>("GET", "/v1/collections", {
      namespace: namespaceId,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((c) => c.collection_name)).toEqual(["articles"]);
    expect(listed.body.next_cursor).toBeNull();
  });

  it("an Idempotency-Key reused in another namespace creates there instead of replaying", async () => {
    const other = await platform.call("POST", "/v1/namespaces", { body: { namespace_name: "idem-other" } });
    expect(other.status).toBe(201);
    const body = { collection_name: "idem", features: [{ feature_uri: URI, dimensions: 2 }] };
    const headers = { "idempotency-key": "create-idem" };
    const here = await platform.call<Collection>("POST", "/v1/collections", {
      namespace: namespaceId,
      body,
      headers,
    });
    const replay = await platform.call<Collection>("POST", "/v1/collections", {
      namespace: namespaceId,
      body,
      headers,
    });
    const there = await platform.call<Collection>("POST", "/v1/collections", {
      namespace: "idem-other",
      body,
      headers,
    });
    expect([here.status, replay.status, there.status]).toEqual([201, 201, 201]);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.collection_id).toBe(here.body.collection_id);
    expect(there.headers.get("idempotent-replayed")).toBeNull();
    expect(there.body.namespace_id).not.toBe(namespaceId);
    const cleanup = await platform.call("DELETE", "/v1/collections/idem", { namespace: namespaceId });
    expect(cleanup.status).toBe(200);
  });

  it("updates, removes the schema with null, and deletes a collection with its documents", async () => {
    const made = await platform.call<Collection>("POST", "/v1/collections", {
      namespace: namespaceId,
      body: {
        collection_name: "scratch",
        features: [{ feature_uri: URI, dimensions: 2, metric: "dot" }],
        metadata_schema: { type: "object", properties: { n: { type: "integer" } } },
      },
    });
    expect(made.status).toBe(201);
    const patched = await platform.call<Collection>("PATCH", "/v1/collections/scratch", {
      namespace: namespaceId,
      body: { description: "temporary", metadata_schema: null, indexed_fields: ["n"] },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      description: "temporary",
      metadata_schema: null,
      indexed_fields: ["n"],
    });
    const doc = await platform.call<Doc>("POST", "/v1/collections/scratch/documents", {
      namespace: namespaceId,
      body: { features: { [URI]: [1, 2] } },
    });
    expect(doc.status).toBe(201);
    const deleted = await platform.call("DELETE", "/v1/collections/scratch", { namespace: namespaceId });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ collection_name: "scratch", deleted_documents: 1 });
    expectErrorBody(
      await platform.call("GET", "/v1/collections/scratch", { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
  });
});

describe("documents", () => {
  it("creates, gets, updates, lists and deletes documents with X-Namespace by name and by id", async () => {
    const first = await createDoc(
      {
        document_id: "a1",
        metadata: { year: 2020, category: "news" },
        features: { [URI]: [1, 0, 0] },
        text: "hello",
      },
      "data-path",
    );
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      document_id: "a1",
      collection_id: collection.collection_id,
      namespace_id: namespaceId,
      metadata: { year: 2020, category: "news" },
      feature_uris: [URI],
      text: "hello",
      taxonomy_labels: [],
      _acl: { owner: null, read: [], write: [], public: true },
      tier: "hot",
    });
    expect(first.body.features).toBeUndefined();
    expect(first.body.created_at).toMatch(ISO);
    expect(first.body.tier_changed_at).toMatch(ISO);

    const second = await createDoc({ metadata: { category: "sport" }, features: { [URI]: [0, 1, 0] } });
    expect(second.status).toBe(201);
    expect(second.body.document_id).toMatch(/^doc_/);
    expect(second.body.text).toBeNull();

    const withVectors = await platform.call<Doc>("GET", docs("/a1?include_features=true"), {
      namespace: "data-path",
    });
    expect(withVectors.status).toBe(200);
    expect(withVectors.body.features).toEqual({ [URI]: [1, 0, 0] });

    const patched = await platform.call<Doc>("PATCH", docs("/a1"), {
      namespace: namespaceId,
      body: { metadata: { year: 2021, category: "news" }, text: "" },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ metadata: { year: 2021, category: "news" }, text: null });
    const reread = await platform.call<Doc>("GET", docs("/a1"), { namespace: namespaceId });
    expect(reread.body.metadata).toEqual({ year: 2021, category: "news" });

    const page1 = await platform.call<Page<Doc>>("GET", docs("?limit=1"), { namespace: namespaceId });
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(1);
    expect(page1.body.next_cursor).not.toBeNull();
    const page2 = await platform.call<Page<Doc>>(
      "GET",
      docs(`?limit=1&cursor=${encodeURIComponent(page1.body.next_cursor ?? "")}`),
      { namespace: namespaceId },
    );
    expect(page2.body.data).toHaveLength(1);
    const seen = [...page1.body.data, ...page2.body.data].map((d) => d.document_id).sort();
    expect(seen).toEqual(["a1", second.body.document_id].sort());

    const filtered = await platform.call<Page<Doc>>("POST", docs("/list"), {
      namespace: namespaceId,
      body: {
        filters: { AND: [{ field: "metadata.category", operator: "eq", value: "sport" }] },
        include_features: true,
      },
    });
    expect(filtered.status, JSON.stringify(filtered.body)).toBe(200);
    expect(filtered.body.data.map((d) => d.document_id)).toEqual([second.body.document_id]);
    expect(filtered.body.data[0]?.features).toEqual({ [URI]: [0, 1, 0] });
    expect(filtered.body.next_cursor).toBeNull();

    const deleted = await platform.call<Doc>("DELETE", docs(`/${second.body.document_id}`), {
      namespace: namespaceId,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.document_id).toBe(second.body.document_id);
    expectErrorBody(
      await platform.call("GET", docs(`/${second.body.document_id}`), { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
  });

  it("replays a create retried with the same Idempotency-Key", async () => {
    const body = { features: { [URI]: [0, 0, 1] } };
    const headers = { "idempotency-key": "doc-create-1" };
    const first = await platform.call<Doc>("POST", docs(), { namespace: namespaceId, body, headers });
    const again = await platform.call<Doc>("POST", docs(), { namespace: namespaceId, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.document_id).toBe(first.body.document_id);
  });
});

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

describe("taxonomies", () => {
  it("creates, reads, updates, labels documents with, and deletes a taxonomy", async () => {
    const created = await platform.call<Taxonomy>("POST", "/v1/taxonomies", {
      namespace: namespaceId,
      body: { taxonomy_name: "genres", nodes: [{ label: "music" }, { label: "jazz", parent: "music" }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.taxonomy_id).toMatch(/^tax_/);
    expect(created.body.nodes).toEqual([
      { label: "music", parent: null },
      { label: "jazz", parent: "music" },
    ]);
    const byName = await platform.call<Taxonomy>("GET", "/v1/taxonomies/genres", { namespace: "data-path" });
    expect(byName.body.taxonomy_id).toBe(created.body.taxonomy_id);
    const listed = await platform.call<Page<Taxonomy>>("GET", "/v1/taxonomies", { namespace: namespaceId });
    expect(listed.body.data.map((t) => t.taxonomy_name)).toEqual(["genres"]);

    const updated = await platform.call<Taxonomy>("PATCH", `/v1/taxonomies/${created.body.taxonomy_id}`, {
      namespace: namespaceId,
      body: {
        nodes: [{ label: "music" }, { label: "jazz", parent: "music" }, { label: "bebop", parent: "jazz" }],
      },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.nodes).toHaveLength(3);

    const labelled = await createDoc({
      document_id: "song-1",
      features: { [URI]: [0, 1, 1] },
      taxonomy_labels: [{ taxonomy_id: created.body.taxonomy_id, label: "bebop" }],
    });
    expect(labelled.status, JSON.stringify(labelled.body)).toBe(201);
    expect(labelled.body.taxonomy_labels).toEqual([
      { taxonomy_id: created.body.taxonomy_id, label: "bebop" },
    ]);
    const unknownLabel = await createDoc({
      document_id: "song-2",
      taxonomy_labels: [{ taxonomy_id: created.body.taxonomy_id, label: "polka" }],
    });
    expectErrorBody(unknownLabel, 422, "ValidationError");

    expectErrorBody(
      await platform.call("DELETE", "/v1/taxonomies/genres", { namespace: namespaceId }),
      422,
      "ValidationError",
    );
    const unlabelled = await platform.call<Doc>("PATCH", docs("/song-1"), {
      namespace: namespaceId,
      body: { taxonomy_labels: [] },
    });
    expect(unlabelled.status).toBe(200);
    const deleted = await platform.call<Taxonomy>("DELETE", "/v1/taxonomies/genres", {
      namespace: namespaceId,
    });
    expect(deleted.status).toBe(200);
    expectErrorBody(
      await platform.call("GET", "/v1/taxonomies/genres", { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
  });
});

describe("the OpenAPI document", () => {
  it("lists the collection, document and taxonomy routes", async () => {
    const spec = await callApi<{ paths: Record<string, Record<string, unknown>> }>(
      platform.url,
      "GET",
      "/v1/openapi.json",
    );
    const operations = Object.entries(spec.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
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
        "POST /v1/taxonomies",
        "GET /v1/taxonomies",
        "GET /v1/taxonomies/{id}",
        "PATCH /v1/taxonomies/{id}",
        "DELETE /v1/taxonomies/{id}",
      ]),
    );
  });
});
