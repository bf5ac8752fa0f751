import { randomBytes } from "node:crypto";
import type { AnyEventEnvelope } from "@strata/events";
import { readEventStream } from "@strata/service-kit";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorBody, startTestPlatform, type TestPlatform, waitUntil } from "./harness.js";

/** Alerts through the gateway: CRUD, and alert.triggered on STRATA_EVENTS for matching new documents. */
const URI = "strata://test@v1/embedding";
const TEXT_URI = "strata://text-hash@v1/embedding";
const NS = "alerting";
let nats: NatsServerHandle;
let nc: NatsConnection;
let platform: TestPlatform;
let namespaceId = "";
let itemsId = "";
let notesId = "";

type AlertView = {
  alert_id: string;
  alert_name: string;
  retriever_id: string;
  query: Record<string, unknown>;
  score_threshold: number;
  active: boolean;
};

type AlertEvent = Extract<AnyEventEnvelope, { type: "alert.triggered" }>;

const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  platform.call<T>(method, path, { namespace: NS, ...(body === undefined ? {} : { body }) });

async function created<T>(method: string, path: string, body: unknown): Promise<T> {
  const answer = await call<T>(method, path, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

async function alertEvents(): Promise<AlertEvent[]> {
  return (await readEventStream(nc)).filter((e): e is AlertEvent => e.type === "alert.triggered");
}

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  platform = await startTestPlatform({
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: randomBytes(32).toString("hex"),
  });
  namespaceId = (await created<{ namespace_id: string }>("POST", "/v1/namespaces", { namespace_name: NS }))
    .namespace_id;
  itemsId = (
    await created<{ collection_id: string }>("POST", "/v1/collections", {
      collection_name: "items",
      features: [{ feature_uri: URI, dimensions: 3 }],
      indexed_fields: ["topic"],
    })
  ).collection_id;
  notesId = (
    await created<{ collection_id: string }>("POST", "/v1/collections", {
      collection_name: "notes",
      features: [{ feature_uri: TEXT_URI, dimensions: 512, metric: "cosine" }],
    })
  ).collection_id;
  await created("POST", "/v1/retrievers", {
    retriever_name: "news",
    collection_ids: ["items"],
    feature_uri: URI,
    filters: { field: "metadata.topic", value: "news" },
  });
  await created("POST", "/v1/retrievers", {
    retriever_name: "notes",
    collection_ids: ["notes"],
    feature_uri: TEXT_URI,
  });
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await nc?.close();
  await nats?.stop();
});

describe("alerts", () => {
  it("creates, reads, lists, pauses and deletes an alert", async () => {
    const alert = await created<AlertView>("POST", "/v1/alerts", {
      alert_name: "crud",
      retriever_id: "news",
      query: { vector: [0, 0, 1] },
      score_threshold: 0.5,
    });
    expect(alert).toMatchObject({
      alert_name: "crud",
      query: { vector: [0, 0, 1] },
      score_threshold: 0.5,
      active: true,
    });
    expect(alert.alert_id).toMatch(/^alr_/);
    expect(alert.retriever_id).toMatch(/^ret_/);
    const got = await call<AlertView>("GET", "/v1/alerts/crud");
    expect(got.status).toBe(200);
    expect(got.body.alert_id).toBe(alert.alert_id);
    const listed = await call<{ data: AlertView[] }>("GET", "/v1/alerts");
    expect(listed.body.data.map((a) => a.alert_id)).toContain(alert.alert_id);
    const paused = await call<AlertView>("PATCH", `/v1/alerts/${alert.alert_id}`, {
      active: false,
      score_threshold: 0.7,
    });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body).toMatchObject({ active: false, score_threshold: 0.7 });
    expect((await call("DELETE", `/v1/alerts/${alert.alert_id}`)).status).toBe(200);
    expectErrorBody(await call("GET", `/v1/alerts/${alert.alert_id}`), 404, "NotFoundError");
  });

  it("refuses bad alerts", async () => {
    const base = {
      alert_name: "bad",
      retriever_id: "news",
      query: { vector: [1, 0, 0] },
      score_threshold: 0.9,
    };
    expectErrorBody(
      await call("POST", "/v1/alerts", { ...base, retriever_id: "nope" }),
      404,
      "NotFoundError",
    );
    expectErrorBody(
      await call("POST", "/v1/alerts", { ...base, query: { vector: [1] } }),
      422,
      "ValidationError",
    );
    expectErrorBody(
      await call("POST", "/v1/alerts", { ...base, query: { text: "hi" } }),
      422,
      "ValidationError",
    );
    expectErrorBody(
      await call("POST", "/v1/alerts", { ...base, score_threshold: "high" }),
      422,
      "ValidationError",
    );
    expectErrorBody(
      await call("POST", "/v1/alerts", { ...base, alert_name: "alr_x" }),
      422,
      "ValidationError",
    );
  });

  it("publishes alert.triggered for a matching new document, and nothing for the others", async () => {
    const alert = await created<AlertView>("POST", "/v1/alerts", {
      alert_name: "breaking",
      retriever_id: "news",
      query: { vector: [1, 0, 0] },
      score_threshold: 0.95,
    });
    const text = await created<AlertView>("POST", "/v1/alerts", {
      alert_name: "about-cats",
      retriever_id: "notes",
      query: { text: "cats purr in the sun" },
      score_threshold: 0.5,
    });
    expect(text.query).toEqual({ text: "cats purr in the sun" });
    const write = (collection: string, body: Record<string, unknown>) =>
      created("POST", `/v1/collections/${collection}/documents`, body);
    await write(itemsId, {
      document_id: "hit",
      metadata: { topic: "news" },
      features: { [URI]: [1, 0.1, 0] },
    });
    await write(itemsId, {
      document_id: "off-topic",
      metadata: { topic: "sports" },
      features: { [URI]: [1, 0, 0] },
    });
    await write(itemsId, { document_id: "far", metadata: { topic: "news" }, features: { [URI]: [0, 1, 0] } });
    await write(notesId, { document_id: "dogs", metadata: {}, text: "dogs bark at the postman" });
    await write(notesId, { document_id: "cats", metadata: {}, text: "cats purr and sleep in the sun" });

    // Documents are evaluated in stream order, so once "cats" (written last) fired, every one was.
    await waitUntil(
      async () => (await alertEvents()).some((e) => e.data.document_id === "cats"),
      15_000,
      100,
    );
    const events = await alertEvents();
    expect(events.map((e) => `${e.data.alert_id}/${e.data.document_id}`)).toEqual([
      `${alert.alert_id}/hit`,
      `${text.alert_id}/cats`,
    ]);
    const [hit] = events;
    expect(hit?.namespaceid).toBe(namespaceId);
    expect(hit?.subject).toBe(alert.alert_id);
    expect(hit?.data).toMatchObject({
      alert_id: alert.alert_id,
      retriever_id: alert.retriever_id,
      document_id: "hit",
      collection_id: itemsId,
      namespace_id: namespaceId,
    });
    expect(hit?.data.score).toBeCloseTo(1 / Math.sqrt(1.01), 5);
    expect(events[1]?.data.collection_id).toBe(notesId);
    expect(events[1]?.data.score).toBeGreaterThanOrEqual(0.5);
  });

  it("fires through a retriever whose filter names a taxonomy node, for documents labelled below it", async () => {
    const taxonomy = await created<{ taxonomy_id: string }>("POST", "/v1/taxonomies", {
      taxonomy_name: "kinds",
      nodes: [{ label: "animal" }, { label: "cat", parent: "animal" }, { label: "rock" }],
    });
    await created("POST", "/v1/retrievers", {
      retriever_name: "animals",
      collection_ids: ["items"],
      feature_uri: URI,
      filters: { field: "taxonomies.kinds", operator: "eq", value: "animal" },
    });
    const alert = await created<AlertView>("POST", "/v1/alerts", {
      alert_name: "near-animals",
      retriever_id: "animals",
      query: { vector: [0, 0, 1] },
      score_threshold: 0.9,
    });
    const labelled = (document_id: string, label: string) =>
      created("POST", `/v1/collections/${itemsId}/documents`, {
        document_id,
        metadata: { topic: "nature" },
        features: { [URI]: [0, 0.1, 1] },
        taxonomy_labels: [{ taxonomy_id: taxonomy.taxonomy_id, label }],
      });
    await labelled("pebble", "rock");
    await labelled("tabby", "cat");
    await waitUntil(
      async () => (await alertEvents()).some((e) => e.data.alert_id === alert.alert_id),
      15_000,
      100,
    );
    const mine = (await alertEvents()).filter((e) => e.data.alert_id === alert.alert_id);
    expect(mine.map((e) => e.data.document_id)).toEqual(["tabby"]);
    // Executing the same retriever applies the same filter.
    const executed = await call<{ results: Array<{ document_id: string }> }>(
      "POST",
      "/v1/retrievers/animals/execute",
      { query: { vector: [0, 0, 1] } },
    );
    expect(executed.status, JSON.stringify(executed.body)).toBe(200);
    expect(executed.body.results.map((r) => r.document_id)).toEqual(["tabby"]);
  });
});
