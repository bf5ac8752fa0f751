import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform, waitUntil } from "./harness.js";

/**
 * Deleting a namespace removes its data from every store (DESIGN §6): the namespace service's
 * collections, documents, taxonomies, batches, buckets and object bytes, and acl-query's retrievers
 * and alerts. Checked underneath the API (a deleted namespace answers nothing through it), in the
 * stores' own files, with a second namespace's data left whole.
 */
const URI = "strata://test@v1/embedding";
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);
afterAll(async () => {
  await platform?.stop();
});

async function fill(namespace: string): Promise<{ namespaceId: string; collectionId: string }> {
  const call = (method: string, path: string, body?: unknown) =>
    platform.call<Record<string, string>>(method, path, {
      namespace,
      ...(body === undefined ? {} : { body }),
    });
  const created = async (path: string, body: unknown) => {
    const answer = await call("POST", path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  };
  const { namespace_id: namespaceId = "" } = await created("/v1/namespaces", { namespace_name: namespace });
  const { collection_id: collectionId = "" } = await created("/v1/collections", {
    collection_name: "items",
    features: [{ feature_uri: URI, dimensions: 3 }],
  });
  await created("/v1/taxonomies", { taxonomy_name: "kinds", nodes: [{ label: "a" }] });
  for (let i = 0; i < 3; i++) {
    await created(`/v1/collections/${collectionId}/documents`, {
      metadata: { n: i },
      features: { [URI]: [1, i, 0] },
    });
  }
  const batch = await call("POST", `/v1/collections/${collectionId}/documents/batch`, {
    documents: Array.from({ length: 20 }, (_, i) => ({ features: { [URI]: [0, 1, i] } })),
  });
  expect(batch.status).toBe(202);
  await waitUntil(
    async () => (await call("GET", `/v1/batches/${batch.body.batch_id}`)).body.status === "completed",
    20_000,
  );
  await created("/v1/buckets", { bucket_name: "media" });
  const put = await fetch(`${platform.url}/v1/buckets/media/objects/a/b.txt`, {
    method: "PUT",
    headers: {
      authorization: `Bearer ${platform.adminKey}`,
      "x-namespace": namespace,
      "content-type": "text/plain",
    },
    body: "hello",
  });
  expect(put.status).toBe(200);
  await created("/v1/retrievers", { retriever_name: "near", collection_ids: ["items"], feature_uri: URI });
  await created("/v1/alerts", {
    alert_name: "watch",
    retriever_id: "near",
    query: { vector: [1, 0, 0] },
    score_threshold: 0.5,
  });
  return { namespaceId, collectionId };
}

/** Rows per table that belong to the namespace, read from the service's SQLite file. */
async function rowsOf(file: string, tables: readonly string[], namespaceId: string) {
  const store: DocStore = openSqliteDocStore({ path: join(platform.dataDir, file) });
  try {
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = await store.table(table).count({ namespace_id: namespaceId });
    return counts;
  } finally {
    await store.close();
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const NAMESPACE_TABLES = ["collections", "documents", "taxonomies", "batches", "buckets", "bucket_objects"];
const ACL_QUERY_TABLES = ["retrievers", "alerts"];
const OBJECTS_DIR = () => join(platform.dataDir, "namespace", "objects");

describe("deleting a namespace", () => {
  it("removes its data from every store and leaves other namespaces whole", async () => {
    const doomed = await fill("doomed");
    const kept = await fill("kept");
    const before = await rowsOf("namespace.db", NAMESPACE_TABLES, doomed.namespaceId);
    expect(before).toEqual({
      collections: 1,
      documents: 23,
      taxonomies: 1,
      batches: 1,
      buckets: 1,
      bucket_objects: 1,
    });
    expect(await rowsOf("acl-query.db", ACL_QUERY_TABLES, doomed.namespaceId)).toEqual({
      retrievers: 1,
      alerts: 1,
    });
    expect((await filesUnder(OBJECTS_DIR())).filter((f) => f.includes(doomed.namespaceId))).toHaveLength(1);

    expect((await platform.call("DELETE", "/v1/namespaces/doomed")).status).toBe(200);

    const empty = (counts: Record<string, number>) => Object.values(counts).every((n) => n === 0);
    await waitUntil(
      async () =>
        empty(await rowsOf("namespace.db", NAMESPACE_TABLES, doomed.namespaceId)) &&
        empty(await rowsOf("acl-query.db", ACL_QUERY_TABLES, doomed.namespaceId)),
      20_000,
    );
    expect((await filesUnder(OBJECTS_DIR())).filter((f) => f.includes(doomed.namespaceId))).toEqual([]);

    // The other namespace: every row and its object, and its documents still answer.
    expect(await rowsOf("namespace.db", NAMESPACE_TABLES, kept.namespaceId)).toEqual(before);
    expect(await rowsOf("acl-query.db", ACL_QUERY_TABLES, kept.namespaceId)).toEqual({
      retrievers: 1,
      alerts: 1,
    });
    const search = await platform.call<{ results: unknown[] }>("POST", "/v1/retrievers/near/execute", {
      namespace: "kept",
      body: { query: { vector: [1, 0, 0] } },
    });
    expect(search.status, JSON.stringify(search.body)).toBe(200);
    expect(search.body.results.length).toBeGreaterThan(0);
  });

  it("revokes the keys restricted to it alone and takes it off the others", async () => {
    const created = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
      body: { namespace_name: "short-lived" },
    });
    expect(created.status).toBe(201);
    const gone = created.body.namespace_id;
    const lasting = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
      body: { namespace_name: "lasting" },
    });
    const kept = lasting.body.namespace_id;
    const keyFor = async (namespaces: string[]) => {
      const key = await platform.call<{ api_key: string; key_id: string }>("POST", "/v1/api-keys", {
        body: { name: "scoped", permissions: ["read"], namespaces },
      });
      expect(key.status, JSON.stringify(key.body)).toBe(201);
      return key.body;
    };
    const only = await keyFor([gone]);
    const both = await keyFor([gone, kept]);
    const whoami = (key: string, namespace: string) => platform.call("GET", "/v1/whoami", { key, namespace });
    expect((await whoami(only.api_key, gone)).status).toBe(200);

    expect((await platform.call("DELETE", `/v1/namespaces/${gone}`)).status).toBe(200);

    // The revocation reaches the gateway's key cache by event: 401, not a key that could come back.
    await waitUntil(async () => (await whoami(only.api_key, kept)).status === 401, 10_000);
    const listed = await platform.call<{ status: string; namespaces: string[] }>(
      "GET",
      `/v1/api-keys/${only.key_id}`,
    );
    expect(listed.body).toMatchObject({ status: "revoked", namespaces: [gone] });
    await waitUntil(
      async () =>
        (await platform.call<{ namespaces: string[] }>("GET", `/v1/api-keys/${both.key_id}`)).body.namespaces
          .length === 1,
      10_000,
    );
    expect((await platform.call("GET", `/v1/api-keys/${both.key_id}`)).body).toMatchObject({
      status: "active",
      namespaces: [kept],
    });
    expect((await whoami(both.api_key, kept)).status).toBe(200);
  });
});
