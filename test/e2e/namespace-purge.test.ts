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
});
