import { MAX_ACL_ENTRIES } from "@strata/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Collection,
  type DataPath,
  type Doc,
  ISO,
  type Page,
  startDataPath,
  URI,
} from "./data-path-fixture.js";
import { callApi, expectErrorBody, type TestPlatform } from "./harness.js";

/** Collections and documents through the gateway's REST API, on the real platform. */
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
      _acl: { owner: null, read: [], write: [], public: false },
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

    // The vectors live in the hot index: the collection reports them, and they are searchable.
    const info = await platform.call<{ vector_index: Array<{ feature_uri: string; vectors: number }> }>(
      "GET",
      `/v1/collections/${collection.collection_id}`,
      { namespace: namespaceId },
    );
    expect(info.body.vector_index).toEqual([{ feature_uri: URI, vectors: 2, pending: expect.any(Number) }]);

    const deleted = await platform.call<Doc>("DELETE", docs(`/${second.body.document_id}`), {
      namespace: namespaceId,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.document_id).toBe(second.body.document_id);
    const after = await platform.call<{ vector_index: Array<{ vectors: number }> }>(
      "GET",
      `/v1/collections/${collection.collection_id}`,
      { namespace: namespaceId },
    );
    expect(after.body.vector_index[0]?.vectors).toBe(1);
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

describe("document ACLs", () => {
  it("are not public unless public is given (decided by the namespace service, ADR 0018)", async () => {
    const made = await platform.call<Collection>("POST", "/v1/collections", {
      namespace: namespaceId,
      body: { collection_name: "acl-defaults", features: [{ feature_uri: URI, dimensions: 2 }] },
    });
    expect(made.status).toBe(201);
    const cases: Array<[Record<string, unknown> | undefined, boolean]> = [
      [undefined, false],
      [{ write: ["role:editor"] }, false],
      [{ owner: "user_1" }, false],
      [{ read: ["user_2"] }, false],
      [{ read: [] }, false],
      [{ owner: "user_1", public: true }, true],
      [{ public: false }, false],
    ];
    for (const [acl, expected] of cases) {
      const body = { features: { [URI]: [1, 1] }, ...(acl === undefined ? {} : { _acl: acl }) };
      const doc = await platform.call<Doc>("POST", "/v1/collections/acl-defaults/documents", {
        namespace: namespaceId,
        body,
      });
      expect(doc.status, JSON.stringify(doc.body)).toBe(201);
      expect(doc.body._acl.public, JSON.stringify(acl)).toBe(expected);
    }
    const tooMany = Array.from({ length: MAX_ACL_ENTRIES + 1 }, (_, i) => `user_${i}`);
    const refused = await platform.call("POST", "/v1/collections/acl-defaults/documents", {
      namespace: namespaceId,
      body: { features: { [URI]: [1, 1] }, _acl: { read: tooMany } },
    });
    expectErrorBody(refused, 422, "ValidationError");
    expect(
      (await platform.call("DELETE", "/v1/collections/acl-defaults", { namespace: namespaceId })).status,
    ).toBe(200);
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
