import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { startPlatform } from "@strata/platform";
import { tempDir } from "@strata/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, startTestPlatform, type TestPlatform, testPlatformEnv, waitUntil } from "./harness.js";

/**
 * Deleting a namespace removes its data from every store (DESIGN §6): the namespace service's
 * collections, documents, taxonomies, batches, buckets and object bytes, and acl-query's retrievers,
 * alerts and ACL rules, and the hot index's spaces with every byte of their vectors, ids and metadata.
 * Checked underneath the API (a deleted namespace answers nothing through it), in the
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
  await created("/v1/acl/rules", {
    rule_name: "own-department",
    effect: "allow",
    condition: {
      AND: [{ field: "metadata.department", operator: "eq", value: "$user.attributes.department" }],
    },
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
const ACL_QUERY_TABLES = ["retrievers", "alerts", "acl_rules"];
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
      acl_rules: 1,
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
      acl_rules: 1,
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

  it("leaves no file or byte of it in the hot index, after a restart too", async () => {
    // A platform of its own: it is stopped and started again on the same data directory.
    const dir = await tempDir("strata-e2e-purge-");
    const env = testPlatformEnv(dir.path);
    let running = await startPlatform(env);
    try {
      const { api_key: key } = JSON.parse(await readFile(join(dir.path, "bootstrap.json"), "utf8")) as {
        api_key: string;
      };
      const call = (method: string, path: string, namespace: string, body?: unknown) =>
        callApi<Record<string, string>>(running.gatewayUrl ?? "", method, path, {
          key,
          namespace,
          ...(body === undefined ? {} : { body }),
        });
      const MARKER = "purge-me-5c1e9b";
      const documentIds: Record<string, string> = {};
      for (const namespace of ["ghost", "stays"]) {
        expect((await call("POST", "/v1/namespaces", namespace, { namespace_name: namespace })).status).toBe(
          201,
        );
        const collection = await call("POST", "/v1/collections", namespace, {
          collection_name: "items",
          features: [{ feature_uri: URI, dimensions: 3 }],
        });
        expect(collection.status, JSON.stringify(collection.body)).toBe(201);
        for (let i = 0; i < 3; i++) {
          const made = await call(
            "POST",
            `/v1/collections/${collection.body.collection_id}/documents`,
            namespace,
            {
              metadata: { note: `${MARKER}-${namespace}` },
              features: { [URI]: [1, i, 0] },
            },
          );
          expect(made.status, JSON.stringify(made.body)).toBe(201);
          documentIds[namespace] = made.body.document_id ?? "";
        }
      }
      const hotIndex = join(dir.path, "namespace-hot-index");
      const hotBytes = async () =>
        (await Promise.all((await filesUnder(hotIndex)).map((f) => readFile(f)))).map((b) =>
          b.toString("latin1"),
        );
      const holding = async (text: string) => (await hotBytes()).filter((b) => b.includes(text)).length;
      const ghostId = documentIds.ghost ?? "";
      expect(await holding(`${MARKER}-ghost`)).toBeGreaterThan(0);
      expect(await holding(ghostId)).toBeGreaterThan(0);
      const spaces = async () => (await readdir(hotIndex)).filter((name) => name.startsWith("space-"));
      expect(await spaces()).toHaveLength(2);

      expect((await call("DELETE", "/v1/namespaces/ghost", "ghost")).status).toBe(200);
      await waitUntil(async () => (await spaces()).length === 1, 20_000);
      await running.stop();
      running = await startPlatform(env);

      // After the restart: one space left (the other namespace's), nothing of the deleted one in any file.
      expect(await spaces()).toHaveLength(1);
      const [left = ""] = await spaces();
      const descriptor = JSON.parse(await readFile(join(hotIndex, left, "space.json"), "utf8")) as {
        namespaceId: string;
      };
      const stays = await call("GET", "/v1/namespaces/stays", "stays");
      expect(descriptor.namespaceId).toBe(stays.body.namespace_id);
      expect(await holding(`${MARKER}-ghost`)).toBe(0);
      expect(await holding(ghostId)).toBe(0);
      expect(await holding(`${MARKER}-stays`)).toBeGreaterThan(0);
    } finally {
      await running.stop();
      await dir.remove();
    }
  }, 90_000);
});
