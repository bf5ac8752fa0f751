import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { collect, createStrataClient, paginate, type StrataClient, StrataError, unwrap } from "@strata/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "./harness.js";

/**
 * The README's tour (keys, namespaces, collections, documents, batch, buckets and objects,
 * retrievers, taxonomies, alerts) through @strata/sdk, against the whole platform started as
 * `npm start` does. The calls are typed from docs/openapi.json: this file is part of the typecheck.
 */
let platform: TestPlatform;
let admin: StrataClient;
const TEXT = "strata://text@v1/embedding";

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = createStrataClient({ baseUrl: platform.url, apiKey: platform.adminKey });
});
afterAll(async () => {
  await platform?.stop();
});

async function failure(pending: Promise<unknown>): Promise<StrataError> {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StrataError);
  return error as StrataError;
}

describe("the README tour through the SDK", () => {
  it("keys and namespaces: scoped keys, typed errors with request ids, revocation", async () => {
    const { api } = admin;
    const me = await unwrap(api.GET("/v1/whoami"));
    expect(me.permissions).toContain("admin");

    const ns = await unwrap(
      api.POST("/v1/namespaces", {
        body: { namespace_name: "docs-prod", description: "production documents" },
      }),
    );
    expect(ns.namespace_id).toMatch(/^ns_/);
    await unwrap(api.POST("/v1/namespaces", { body: { namespace_name: "other" } }));

    const created = await unwrap(
      api.POST("/v1/api-keys", {
        body: { name: "reader", permissions: ["read"], namespaces: [ns.namespace_id] },
      }),
    );
    const reader = createStrataClient({ baseUrl: platform.url, apiKey: created.api_key });
    for (const namespace of [ns.namespace_id, "docs-prod"]) {
      const scoped = await unwrap(reader.withNamespace(namespace).api.GET("/v1/whoami"));
      expect(scoped.namespace?.namespace_id).toBe(ns.namespace_id);
    }
    const outside = await failure(unwrap(reader.withNamespace("other").api.GET("/v1/whoami")));
    expect(outside).toMatchObject({ status: 404, type: "NotFoundError" });
    expect(outside.requestId).toMatch(/^req_/);

    await unwrap(api.DELETE("/v1/api-keys/{id}", { params: { path: { id: created.key_id } } }));
    const revoked = await failure(unwrap(reader.api.GET("/v1/whoami")));
    expect(revoked).toMatchObject({ status: 401, type: "UnauthorizedError" });

    const names = (
      await collect(
        paginate((cursor) => api.GET("/v1/namespaces", { params: { query: { cursor, limit: 1 } } })),
      )
    ).map((n) => n.namespace_name);
    expect(names.sort()).toEqual(["docs-prod", "other"]);
  });

  it("collections, documents and a batch: pages as an async iterator, waitForBatch", async () => {
    const { api } = admin.withNamespace("docs-prod");
    const collection = await unwrap(
      api.POST("/v1/collections", {
        body: { collection_name: "articles", features: [{ feature_uri: TEXT, dimensions: 3 }] },
      }),
    );
    const id = collection.collection_id;
    await unwrap(
      api.POST("/v1/collections/{id}/documents", {
        params: { path: { id } },
        body: { document_id: "intro", metadata: { lang: "en" }, features: { [TEXT]: [0.1, 0.2, 0.3] } },
      }),
    );
    const accepted = await unwrap(
      api.POST("/v1/collections/{id}/documents/batch", {
        params: { path: { id } },
        body: {
          documents: [
            { document_id: "one", features: { [TEXT]: [1, 0, 0] } },
            { features: { [TEXT]: [1, 0] } },
          ],
        },
      }),
    );
    const batch = await admin.withNamespace("docs-prod").waitForBatch(accepted.batch_id, { intervalMs: 50 });
    expect(batch).toMatchObject({ status: "completed", total: 2, succeeded: 1, failed: 1 });
    expect(batch.errors.map((e) => e.index)).toEqual([1]);

    const documents = await collect(
      paginate((cursor) =>
        api.GET("/v1/collections/{id}/documents", { params: { path: { id }, query: { cursor, limit: 1 } } }),
      ),
    );
    expect(documents.map((d) => d.document_id).sort()).toEqual(["intro", "one"]);
  });

  it("buckets and objects: streamed upload and download, a key with '/', checksums", async () => {
    const scoped = admin.withNamespace("docs-prod");
    const { api } = scoped;
    await unwrap(api.POST("/v1/buckets", { body: { bucket_name: "media" } }));
    const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(16 * 1024, i));
    const bytes = Buffer.concat(chunks);
    const sha256 = createHash("sha256").update(bytes).digest("hex");

    const stored = await scoped.uploadObject("media", "reports/2024.pdf", Readable.from(chunks), {
      contentType: "application/pdf",
      sha256,
    });
    expect(stored).toMatchObject({ key: "reports/2024.pdf", size: bytes.length, sha256 });

    const download = await scoped.downloadObject("media", "reports/2024.pdf");
    expect(download).toMatchObject({ contentType: "application/pdf", size: bytes.length, sha256 });
    const received = Buffer.concat(await collect(download.body));
    expect(received.equals(bytes)).toBe(true);

    const refused = await failure(
      scoped.uploadObject("media", "reports/bad.bin", new Uint8Array([1, 2, 3]), { sha256 }),
    );
    expect(refused).toMatchObject({ status: 400, type: "BadRequestError" });

    // The generated client alone reaches the object routes: {key} is sent with '/' as %2F.
    const key = "notes/a.txt";
    const put = await api.PUT("/v1/buckets/{id}/objects/{key}", {
      params: { path: { id: "media", key } },
      body: "hello" as string,
      bodySerializer: (body: string) => body,
      headers: { "content-type": "text/plain" },
    });
    expect(put.response.status).toBe(200);
    expect(put.data?.key).toBe(key);
    const head = await api.HEAD("/v1/buckets/{id}/objects/{key}", { params: { path: { id: "media", key } } });
    expect(head.response.headers.get("content-type")).toBe("text/plain");
    const got = await api.GET("/v1/buckets/{id}/objects/{key}", {
      params: { path: { id: "media", key } },
      parseAs: "text",
    });
    expect(got.data).toBe("hello");

    const keys = await collect(
      paginate((cursor) =>
        api.GET("/v1/buckets/{id}/objects", {
          params: { path: { id: "media" }, query: { cursor, limit: 1 } },
        }),
      ),
    );
    expect(keys.map((o) => o.key)).toEqual(["notes/a.txt", "reports/2024.pdf"]);
    await unwrap(api.DELETE("/v1/buckets/{id}/objects/{key}", { params: { path: { id: "media", key } } }));
    const gone = await failure(scoped.downloadObject("media", key));
    expect(gone).toMatchObject({ status: 404, type: "NotFoundError" });
    await unwrap(api.DELETE("/v1/buckets/{id}", { params: { path: { id: "media" } } }));
  });

  it("retrievers, taxonomies and alerts", async () => {
    const { api } = admin.withNamespace("docs-prod");
    await unwrap(
      api.POST("/v1/retrievers", {
        body: { retriever_name: "similar", collection_ids: ["articles"], feature_uri: TEXT, top_k: 5 },
      }),
    );
    const byVector = await unwrap(
      api.POST("/v1/retrievers/{id}/execute", {
        params: { path: { id: "similar" } },
        body: { query: { vector: [0.1, 0.2, 0.3] } },
      }),
    );
    expect(byVector.results[0]?.document_id).toBe("intro");
    const moreLikeThis = await unwrap(
      api.POST("/v1/retrievers/{id}/execute", {
        params: { path: { id: "similar" } },
        body: { query: { document_id: "intro" } },
      }),
    );
    expect(moreLikeThis.results.map((r) => r.document_id)).toEqual(["one"]);

    const taxonomy = await unwrap(
      api.POST("/v1/taxonomies", {
        body: { taxonomy_name: "kinds", nodes: [{ label: "animal" }, { label: "dog", parent: "animal" }] },
      }),
    );
    await unwrap(
      api.POST("/v1/collections/{id}/documents", {
        params: { path: { id: "articles" } },
        body: {
          document_id: "rex",
          features: { [TEXT]: [0, 1, 0] },
          taxonomy_labels: [{ taxonomy_id: taxonomy.taxonomy_id, label: "dog" }],
        },
      }),
    );
    const animals = await unwrap(
      api.POST("/v1/collections/{id}/documents/list", {
        params: { path: { id: "articles" } },
        body: { filters: { AND: [{ field: "taxonomies.kinds", operator: "eq", value: "animal" }] } },
      }),
    );
    expect(animals.data.map((d) => d.document_id)).toEqual(["rex"]);

    const alert = await unwrap(
      api.POST("/v1/alerts", {
        body: {
          alert_name: "near-intro",
          retriever_id: "similar",
          query: { document_id: "intro" },
          score_threshold: 0.9,
        },
      }),
    );
    expect(alert).toMatchObject({ alert_name: "near-intro", active: true });
    const alerts = await collect(
      paginate((cursor) => api.GET("/v1/alerts", { params: { query: { cursor } } })),
    );
    expect(alerts.map((a) => a.alert_name)).toEqual(["near-intro"]);
  });

  it("retries a create whose answer was lost with the same Idempotency-Key: one namespace, the first answer", async () => {
    let sends = 0;
    const losingFirstAnswer = createStrataClient({
      baseUrl: platform.url,
      apiKey: platform.adminKey,
      retry: { baseDelayMs: 10 },
      // The request reaches the real platform, then the connection "drops" before the answer.
      fetch: async (request) => {
        sends++;
        const response = await fetch(request);
        if (sends === 1) {
          await response.body?.cancel();
          throw new TypeError("fetch failed: connection reset");
        }
        return response;
      },
    });
    const { data, response } = await losingFirstAnswer.api.POST("/v1/namespaces", {
      body: { namespace_name: "retried" },
    });
    expect(sends).toBe(2);
    expect(response.status).toBe(201);
    expect(response.headers.get("idempotent-replayed")).toBe("true");
    const all = await collect(
      paginate((cursor) => admin.api.GET("/v1/namespaces", { params: { query: { cursor } } })),
    );
    expect(all.filter((n) => n.namespace_name === "retried").map((n) => n.namespace_id)).toEqual([
      data?.namespace_id,
    ]);
  });

  it("the generated client reaches every operation of docs/openapi.json, with a documented answer", async () => {
    interface Operation {
      operationId: string;
      requestBody?: { content: Record<string, unknown> };
      responses: Record<string, unknown>;
    }
    type Paths = Record<string, Record<string, Operation>>;
    const doc = JSON.parse(await readFile(join(import.meta.dirname, "../../docs/openapi.json"), "utf8")) as {
      paths: Paths;
    };
    // The typed `request` over every path of the document at once: method and path are data here.
    const request = admin.api.request as unknown as (
      method: string,
      path: string,
      init: Record<string, unknown>,
    ) => Promise<{ response: Response; error?: unknown }>;
    let reached = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        // Names that exist nowhere and invalid bodies: every call is refused, so nothing changes.
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], "missing/with-slash"] as const);
        const content = Object.keys(operation.requestBody?.content ?? {});
        const body = content.includes("application/json")
          ? { body: {} }
          : content.length > 0
            ? { body: "x" }
            : {};
        const { response, error } = await request(method.toUpperCase(), path, {
          params: { path: Object.fromEntries(names), header: { "x-namespace": "docs-prod" } },
          ...body,
          ...(content.includes("application/json") ? {} : { bodySerializer: (raw: unknown) => raw }),
          parseAs: "text",
        });
        const where = `${operation.operationId}: ${method.toUpperCase()} ${path} → ${response.status}`;
        expect(Object.keys(operation.responses), where).toContain(String(response.status));
        expect(response.status, where).not.toBe(405);
        const details = (error as { error?: { details?: { resource?: string } } } | undefined)?.error
          ?.details;
        expect(details?.resource, where).not.toBe("route");
        reached++;
      }
    }
    expect(reached).toBeGreaterThan(50);
  });
});
