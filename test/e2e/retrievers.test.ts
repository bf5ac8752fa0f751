import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorBody, startTestPlatform, type TestPlatform } from "./harness.js";

/** Retrievers through the gateway: CRUD, bad input, and execution by vector, document and text. */
const URI = "strata://test@v1/embedding";
const TEXT_URI = "strata://text-hash@v1/embedding";
const NS = "retrievers";
let platform: TestPlatform;
let itemsId = "";
let notesId = "";

type RetrieverView = {
  retriever_id: string;
  retriever_name: string;
  collection_ids: string[];
  feature_uri: string;
  top_k: number;
  filters: Record<string, unknown> | null;
  score_threshold: number | null;
};

type Execution = {
  retriever_id: string;
  results: Array<{
    document_id: string;
    collection_id: string;
    score: number;
    metadata: Record<string, unknown>;
    _source_tier: string;
  }>;
};

const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, namespace = NS) =>
  platform.call<T>(method, path, { namespace, ...(body === undefined ? {} : { body }) });

async function createCollection(name: string, features: unknown[], indexed: string[] = []): Promise<string> {
  const created = await call<{ collection_id: string }>("POST", "/v1/collections", {
    collection_name: name,
    features,
    indexed_fields: indexed,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.collection_id;
}

async function createDocument(collectionId: string, body: Record<string, unknown>): Promise<void> {
  const created = await call("POST", `/v1/collections/${collectionId}/documents`, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const name of [NS, "elsewhere"]) {
    const ns = await platform.call("POST", "/v1/namespaces", { body: { namespace_name: name } });
    expect(ns.status).toBe(201);
  }
  itemsId = await createCollection(
    "items",
    [{ feature_uri: URI, dimensions: 3, metric: "cosine" }],
    ["category"],
  );
  notesId = await createCollection("notes", [{ feature_uri: TEXT_URI, dimensions: 512, metric: "cosine" }]);
  const items: Array<[string, number[], string]> = [
    ["near", [1, 0, 0], "a"],
    ["close", [1, 0.3, 0], "b"],
    ["mid", [1, 1, 0], "a"],
    ["far", [0, 0, 1], "a"],
  ];
  for (const [id, vector, category] of items) {
    await createDocument(itemsId, { document_id: id, metadata: { category }, features: { [URI]: vector } });
  }
  const notes: Array<[string, string]> = [
    ["cats", "cats purr and sleep in the sun"],
    ["dogs", "dogs bark at the postman"],
    ["stocks", "stock markets fell sharply today"],
  ];
  for (const [id, text] of notes) await createDocument(notesId, { document_id: id, metadata: {}, text });
}, 60_000);

afterAll(async () => {
  await platform?.stop();
});

describe("retrievers", () => {
  it("creates, reads, lists, updates and deletes a retriever", async () => {
    const created = await call<RetrieverView>("POST", "/v1/retrievers", {
      retriever_name: "crud",
      collection_ids: ["items"],
      feature_uri: "mixpeek://test@v1/embedding",
      filters: { field: "metadata.category", operator: "eq", value: "a" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      retriever_name: "crud",
      collection_ids: [itemsId],
      feature_uri: URI,
      top_k: 10,
      score_threshold: null,
    });
    expect(created.body.retriever_id).toMatch(/^ret_/);
    const id = created.body.retriever_id;

    const byName = await call<RetrieverView>("GET", "/v1/retrievers/crud");
    expect(byName.status).toBe(200);
    expect(byName.body.retriever_id).toBe(id);
    const listed = await call<{ data: RetrieverView[]; next_cursor: string | null }>(
      "GET",
      "/v1/retrievers?limit=100",
    );
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((r) => r.retriever_id)).toContain(id);

    const patched = await call<RetrieverView>("PATCH", `/v1/retrievers/${id}`, {
      top_k: 3,
      filters: null,
      score_threshold: 0.1,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ top_k: 3, filters: null, score_threshold: 0.1 });

    const deleted = await call("DELETE", `/v1/retrievers/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ retriever_id: id, deleted_alerts: 0 });
    expectErrorBody(await call("GET", `/v1/retrievers/${id}`), 404, "NotFoundError");
  });

  it("answers bad input with the documented errors", async () => {
    const base = { retriever_name: "bad", collection_ids: ["items"], feature_uri: URI };
    expectErrorBody(
      await call("POST", "/v1/retrievers", { ...base, collection_ids: ["nope"] }),
      404,
      "NotFoundError",
    );
    const undeclared = expectErrorBody(
      await call("POST", "/v1/retrievers", { ...base, feature_uri: "strata://other@v1/embedding" }),
      422,
      "ValidationError",
    );
    expect(undeclared.message).toMatch(/cannot serve/);
    for (const top_k of [0, 1001, 2.5]) {
      expectErrorBody(await call("POST", "/v1/retrievers", { ...base, top_k }), 422, "ValidationError");
    }
    for (const filters of [
      { field: "metadata.category", operator: "like", value: "a" },
      { AND: "not a list" },
      { field: "metadata.unindexed", value: 1 },
    ]) {
      expectErrorBody(await call("POST", "/v1/retrievers", { ...base, filters }), 422, "ValidationError");
    }
    expectErrorBody(
      await call("POST", "/v1/retrievers", { ...base, retriever_name: "ret_lookslikeanid" }),
      422,
      "ValidationError",
    );
    expectErrorBody(
      await call("POST", "/v1/retrievers", { ...base, feature_uri: "http://x" }),
      422,
      "ValidationError",
    );
    const list = await call<{ data: RetrieverView[] }>("GET", "/v1/retrievers?limit=100");
    expect(list.body.data.map((r) => r.retriever_name)).not.toContain("bad");
  });

  it("answers another namespace's retriever exactly like a missing one", async () => {
    const created = await call<RetrieverView>("POST", "/v1/retrievers", {
      retriever_name: "private",
      collection_ids: ["items"],
      feature_uri: URI,
    });
    expect(created.status).toBe(201);
    const id = created.body.retriever_id;
    const foreign = expectErrorBody(
      await call("GET", `/v1/retrievers/${id}`, undefined, "elsewhere"),
      404,
      "NotFoundError",
    );
    expect(foreign.details).toEqual({ resource: "retriever", id });
    const missing = "ret_1111111111111111111111";
    const absent = expectErrorBody(
      await call("GET", `/v1/retrievers/${missing}`, undefined, "elsewhere"),
      404,
      "NotFoundError",
    );
    expect(absent.details).toEqual({ resource: "retriever", id: missing });
    expect(foreign.message).toBe(absent.message);
    for (const [method, path, body] of [
      ["PATCH", `/v1/retrievers/${id}`, { top_k: 2 }],
      ["DELETE", `/v1/retrievers/${id}`, undefined],
      ["POST", `/v1/retrievers/${id}/execute`, { query: { vector: [1, 0, 0] } }],
    ] as const) {
      expectErrorBody(await call(method, path, body, "elsewhere"), 404, "NotFoundError");
    }
    expect((await call("GET", `/v1/retrievers/${id}`)).status).toBe(200);
  });
});

describe("executing a retriever", () => {
  let itemsRetriever = "";
  let notesRetriever = "";

  beforeAll(async () => {
    const items = await call<RetrieverView>("POST", "/v1/retrievers", {
      retriever_name: "similar-items",
      collection_ids: [itemsId],
      feature_uri: URI,
    });
    const notes = await call<RetrieverView>("POST", "/v1/retrievers", {
      retriever_name: "notes-by-text",
      collection_ids: ["notes"],
      feature_uri: TEXT_URI,
      top_k: 2,
    });
    expect(items.status).toBe(201);
    expect(notes.status).toBe(201);
    itemsRetriever = items.body.retriever_id;
    notesRetriever = notes.body.retriever_id;
  });

  const execute = (id: string, body: unknown) =>
    call<Execution>("POST", `/v1/retrievers/${id}/execute`, body);

  it("finds the nearest documents to a vector, nearest first, from the hot tier", async () => {
    const found = await execute(itemsRetriever, { query: { vector: [1, 0, 0] } });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.retriever_id).toBe(itemsRetriever);
    expect(found.body.results.map((r) => r.document_id)).toEqual(["near", "close", "mid", "far"]);
    const scores = found.body.results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(found.body.results[0]).toMatchObject({
      collection_id: itemsId,
      metadata: { category: "a" },
      _source_tier: "hot",
    });
    expect(found.body.results[0]?.score).toBeCloseTo(1, 6);
  });

  it("applies the request's filters and top_k", async () => {
    const found = await execute("similar-items", {
      query: { vector: [1, 0, 0] },
      filters: { field: "metadata.category", operator: "eq", value: "a" },
      top_k: 2,
    });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.results.map((r) => r.document_id)).toEqual(["near", "mid"]);
  });

  it("searches like a stored document, leaving that document out", async () => {
    const found = await execute(itemsRetriever, { query: { document_id: "near" } });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.results.map((r) => r.document_id)).toEqual(["close", "mid", "far"]);
    const named = await execute(itemsRetriever, { query: { document_id: "near", collection_id: "items" } });
    expect(named.body.results.map((r) => r.document_id)).toEqual(["close", "mid", "far"]);
    expectErrorBody(
      await execute(itemsRetriever, { query: { document_id: "missing" } }),
      404,
      "NotFoundError",
    );
  });

  it("embeds a text query with the feature's built-in extractor", async () => {
    const found = await execute(notesRetriever, { query: { text: "cats purr in the sun" } });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.results).toHaveLength(2);
    expect(found.body.results[0]).toMatchObject({
      document_id: "cats",
      collection_id: notesId,
      _source_tier: "hot",
    });
  });

  it("refuses a text query for a feature without a built-in extractor, and malformed queries", async () => {
    const noExtractor = expectErrorBody(
      await execute(itemsRetriever, { query: { text: "hello" } }),
      422,
      "ValidationError",
    );
    expect(noExtractor.message).toMatch(/no built-in text extractor/);
    for (const query of [
      {},
      { vector: [1, 0, 0], text: "both" },
      { vector: [1, 0] },
      { collection_id: "items" },
    ]) {
      expectErrorBody(await execute(itemsRetriever, { query }), 422, "ValidationError");
    }
    expectErrorBody(
      await execute(itemsRetriever, { query: { vector: [1, 0, 0] }, top_k: 0 }),
      422,
      "ValidationError",
    );
    expectErrorBody(
      await execute(itemsRetriever, {
        query: { vector: [1, 0, 0] },
        filters: { field: "metadata.x", operator: "nope" },
      }),
      422,
      "ValidationError",
    );
  });

  it("needs read permission and X-Namespace", async () => {
    const key = await platform.call<{ api_key: string }>("POST", "/v1/api-keys", {
      body: { name: "reader", permissions: ["read"] },
    });
    expect(key.status).toBe(201);
    const reader = { key: key.body.api_key, namespace: NS };
    const found = await platform.call<Execution>("POST", `/v1/retrievers/${itemsRetriever}/execute`, {
      ...reader,
      body: { query: { vector: [1, 0, 0] } },
    });
    expect(found.status).toBe(200);
    expectErrorBody(
      await platform.call("POST", "/v1/retrievers", {
        ...reader,
        body: { retriever_name: "nope", collection_ids: ["items"], feature_uri: URI },
      }),
      403,
      "ForbiddenError",
    );
    expectErrorBody(await platform.call("GET", "/v1/retrievers"), 400, "BadRequestError");
  });
});
