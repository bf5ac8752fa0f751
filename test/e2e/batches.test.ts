import { randomBytes } from "node:crypto";
import { readEventStream } from "@strata/service-kit";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorBody, startTestPlatform, type TestPlatform, waitUntil } from "./harness.js";

/** Batch ingestion through the gateway: 202 at once, a work queue writes, GET shows the outcome. */
const URI = "strata://test@v1/embedding";
let nats: NatsServerHandle;
let nc: NatsConnection;
let platform: TestPlatform;
let collectionId: string;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  platform = await startTestPlatform({
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: randomBytes(32).toString("hex"),
  });
  const ns = await platform.call("POST", "/v1/namespaces", { body: { namespace_name: "batches" } });
  expect(ns.status).toBe(201);
  const created = await platform.call<{ collection_id: string }>("POST", "/v1/collections", {
    namespace: "batches",
    body: { collection_name: "items", features: [{ feature_uri: URI, dimensions: 3 }] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  collectionId = created.body.collection_id;
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await nc?.close();
  await nats?.stop();
});

interface BatchView {
  batch_id: string;
  collection_id: string;
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  errors: Array<{ index: number; error: { type: string; message: string } }>;
  created_at: string;
  updated_at: string;
}

const batchPath = () => `/v1/collections/${collectionId}/documents/batch`;
const getBatch = (id: string) =>
  platform.call<BatchView>("GET", `/v1/batches/${id}`, { namespace: "batches" });

async function waitForEnd(id: string): Promise<BatchView> {
  let view: BatchView | undefined;
  await waitUntil(
    async () => {
      const got = await getBatch(id);
      view = got.body;
      return got.status === 200 && (got.body.status === "completed" || got.body.status === "failed");
    },
    30_000,
    100,
  );
  if (view === undefined) throw new Error("no batch view");
  return view;
}

/** Every batch.* event on the stream, by batch id. */
async function batchEvents(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const event of await readEventStream(nc)) {
    if (event.type !== "batch.completed" && event.type !== "batch.failed") continue;
    const list = found.get(event.data.batch_id) ?? [];
    list.push(`${event.type} ${event.data.succeeded}/${event.data.failed}`);
    found.set(event.data.batch_id, list);
  }
  return found;
}

describe("document batches", () => {
  it("writes 500 documents, records the bad ones alone and publishes batch.completed once", async () => {
    const bad = new Set([3, 77, 250, 499]);
    const documents = Array.from({ length: 500 }, (_, i) => ({
      metadata: { n: i },
      features: { [URI]: bad.has(i) ? [1, 2] : [1, i + 1, 0.5] },
    }));
    const accepted = await platform.call<{ batch_id: string; status: string }>("POST", batchPath(), {
      namespace: "batches",
      body: { documents },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body.status).toBe("pending");
    expect(accepted.body.batch_id).toMatch(/^bat_/);

    const view = await waitForEnd(accepted.body.batch_id);
    expect(view).toMatchObject({
      status: "completed",
      total: 500,
      succeeded: 496,
      failed: 4,
      collection_id: collectionId,
    });
    expect(view.errors.map((e) => e.index)).toEqual([...bad].sort((a, b) => a - b));
    for (const e of view.errors) {
      expect(e.error.type).toBe("ValidationError");
      expect(e.error.message).toMatch(/expected 3 numbers/);
    }
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: {
        status: number;
        body: { data: Array<{ document_id: string }>; next_cursor: string | null };
      } = await platform.call(
        "GET",
        `/v1/collections/${collectionId}/documents?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
        {
          namespace: "batches",
        },
      );
      expect(page.status).toBe(200);
      for (const d of page.body.data) ids.add(d.document_id);
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(ids.size).toBe(496);

    await waitUntil(async () => (await batchEvents()).has(accepted.body.batch_id), 10_000, 200);
    expect((await batchEvents()).get(accepted.body.batch_id)).toEqual(["batch.completed 496/4"]);
  }, 60_000);

  it("answers batch.failed when every item is bad, and replays an Idempotency-Key", async () => {
    const body = {
      documents: [{ features: { [URI]: [1] } }, { features: { "strata://nope@v1/x": [1, 2, 3] } }],
    };
    const headers = { "idempotency-key": "batch-all-bad" };
    const first = await platform.call<{ batch_id: string }>("POST", batchPath(), {
      namespace: "batches",
      body,
      headers,
    });
    expect(first.status).toBe(202);
    const again = await platform.call<{ batch_id: string }>("POST", batchPath(), {
      namespace: "batches",
      body,
      headers,
    });
    expect(again.status).toBe(202);
    expect(again.body.batch_id).toBe(first.body.batch_id);
    const view = await waitForEnd(first.body.batch_id);
    expect(view).toMatchObject({ status: "failed", total: 2, succeeded: 0, failed: 2 });
    await waitUntil(async () => (await batchEvents()).has(first.body.batch_id), 10_000, 200);
    expect((await batchEvents()).get(first.body.batch_id)).toEqual(["batch.failed 0/2"]);
  }, 60_000);

  it("refuses an empty or oversized batch and hides another namespace's batch", async () => {
    const empty = await platform.call("POST", batchPath(), { namespace: "batches", body: { documents: [] } });
    expectErrorBody(empty, 422, "ValidationError");
    const many = Array.from({ length: 10_001 }, () => ({ features: { [URI]: [1, 1, 1] } }));
    const tooMany = await platform.call("POST", batchPath(), {
      namespace: "batches",
      body: { documents: many },
    });
    const error = expectErrorBody(tooMany, 422, "ValidationError");
    expect(JSON.stringify(error.details)).toMatch(/at most 10000 documents/);
    const other = await platform.call("POST", "/v1/namespaces", { body: { namespace_name: "other" } });
    expect(other.status).toBe(201);
    const mine = await platform.call<{ batch_id: string }>("POST", batchPath(), {
      namespace: "batches",
      body: { documents: [{ features: { [URI]: [1, 1, 1] } }] },
    });
    expect(mine.status).toBe(202);
    const elsewhere = await platform.call("GET", `/v1/batches/${mine.body.batch_id}`, { namespace: "other" });
    expectErrorBody(elsewhere, 404, "NotFoundError");
  }, 60_000);

  it("accepts a 10,000-document batch of small documents", async () => {
    const documents = Array.from({ length: 10_000 }, (_, i) => ({
      metadata: { n: i },
      features: { [URI]: [1, i, 2] },
    }));
    const accepted = await platform.call<{ batch_id: string }>("POST", batchPath(), {
      namespace: "batches",
      body: { documents },
    });
    expect(accepted.status, JSON.stringify(accepted.body).slice(0, 500)).toBe(202);
    const view = await waitForEnd(accepted.body.batch_id);
    expect(view).toMatchObject({ status: "completed", total: 10_000, succeeded: 10_000, failed: 0 });
  }, 120_000);
});
