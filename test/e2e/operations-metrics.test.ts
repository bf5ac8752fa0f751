import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { OUTBOX_TABLE, type OutboxRecord } from "@strata/bus";
import { openSqliteDocStore } from "@strata/docstore";
import { type Platform, startPlatform } from "@strata/platform";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, testPlatformEnv, waitUntil } from "./harness.js";
import { samplesOf, sampleValue } from "./prometheus-text.js";

/**
 * What an operator scrapes: the metrics listener (STRATA_METRICS_PORT) of a running platform shows
 * the gRPC, consumer, outbox, batch and hot-index series, and they move with what happens; the
 * public port serves no /metrics; /readyz names the dependency that is not ready.
 */
const URI = "strata://test@v1/embedding";
let nats: NatsServerHandle;
let nc: NatsConnection;
let dir: TempDir;
let platform: Platform;
let adminKey = "";
let gatewayUrl = "";

const scrape = async (): Promise<string> => {
  const answer = await fetch(`${platform.metricsUrl}/metrics`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
  return answer.text();
};
const call = (method: string, path: string, body?: unknown, namespace?: string) =>
  callApi(gatewayUrl, method, path, {
    key: adminKey,
    ...(namespace === undefined ? {} : { namespace }),
    ...(body === undefined ? {} : { body }),
  });

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  dir = await tempDir("strata-metrics-");
  platform = await startPlatform({
    ...testPlatformEnv(dir.path),
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: randomBytes(32).toString("hex"),
    STRATA_METRICS_HOST: "127.0.0.1",
  });
  gatewayUrl = platform.gatewayUrl ?? "";
  adminKey = (JSON.parse(await readFile(join(dir.path, "bootstrap.json"), "utf8")) as { api_key: string })
    .api_key;
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await nc?.close();
  await nats?.stop();
  await dir?.remove();
});

describe("the metrics listener", () => {
  it("refuses to start a second process on a metrics port already taken, naming the variable", async () => {
    const other = await tempDir("strata-metrics-taken-");
    try {
      await expect(
        startPlatform({
          ...testPlatformEnv(other.path),
          NATS_URL: nats.url,
          STRATA_INTERNAL_TOKEN: randomBytes(32).toString("hex"),
          STRATA_METRICS_HOST: "127.0.0.1",
          STRATA_METRICS_PORT: new URL(platform.metricsUrl).port,
          LOG_LEVEL: "silent",
        }),
      ).rejects.toThrow(/STRATA_METRICS_PORT.*EADDRINUSE/);
    } finally {
      await other.remove();
    }
  });

  it("is a separate port: the public API answers 404 for /metrics", async () => {
    expect(new URL(platform.metricsUrl).port).not.toBe(new URL(gatewayUrl).port);
    const answer = await callApi(gatewayUrl, "GET", "/metrics");
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ success: false, status: 404 });
  });

  it("shows process, HTTP and per-service gRPC series in one registry; a gRPC call moves its counter", async () => {
    const labels = {
      service: "namespace",
      grpc_service: "strata.namespace.v1.NamespaceService",
      grpc_method: "CreateNamespace",
      code: "OK",
    };
    const before = await scrape();
    expect(before).toContain("process_resident_memory_bytes");
    const created = await call("POST", "/v1/namespaces", { namespace_name: "metered" });
    expect(created.status).toBe(201);
    const after = await scrape();
    expect(sampleValue(after, "strata_grpc_server_calls_total", labels)).toBe(
      (sampleValue(before, "strata_grpc_server_calls_total", labels) ?? 0) + 1,
    );
    const { code: _code, ...histogramLabels } = labels;
    expect(
      sampleValue(after, "strata_grpc_server_duration_seconds_count", histogramLabels),
    ).toBeGreaterThanOrEqual(1);
    // An answer that is an error is counted under its code.
    const missing = await call("GET", "/v1/namespaces/nope");
    expect(missing.status).toBe(404);
    const withError = await scrape();
    expect(
      samplesOf(withError, "strata_grpc_server_calls_total", { service: "namespace", code: "NOT_FOUND" }),
    ).not.toEqual([]);
    // auth answered the gateway's key check, under its own service label.
    expect(
      samplesOf(withError, "strata_grpc_server_calls_total", { service: "auth", grpc_method: "VerifyKey" }),
    ).not.toEqual([]);
    expect(
      sampleValue(withError, "strata_http_requests_total", {
        method: "POST",
        route: "/v1/namespaces",
        status: "201",
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("shows every durable consumer, and a dead-lettered message increments its counter", async () => {
    const text = await scrape();
    const durables = samplesOf(text, "strata_consumer_pending_messages").map(
      (s) => `${s.labels.service}/${s.labels.durable}`,
    );
    expect(durables).toContain("acl-query/acl_query_alert_evaluator");
    expect(durables.filter((d) => d.startsWith("namespace/"))).toHaveLength(2);
    expect(durables.some((d) => d.startsWith("auth/"))).toBe(true);
    const deadLabels = { service: "acl-query", durable: "acl_query_alert_evaluator" };
    const deadBefore = sampleValue(text, "strata_consumer_dead_lettered_total", deadLabels);
    expect(deadBefore).toBe(0);
    // Not an event: the alert evaluator dead-letters it rather than guess.
    const js = nc.jetstream();
    await js.publish("strata.evt.ns_metrics.document.created", new TextEncoder().encode("not an event"));
    await waitUntil(
      async () => sampleValue(await scrape(), "strata_consumer_dead_lettered_total", deadLabels) === 1,
      15_000,
      100,
    );
    const settled = await scrape();
    expect(
      sampleValue(settled, "strata_consumer_pending_messages", { ...deadLabels, stream: "STRATA_EVENTS" }),
    ).toBe(0);
    expect(samplesOf(settled, "strata_consumer_redelivered_messages", deadLabels)).toHaveLength(1);
  });

  it("counts batch documents and chunk latency, and shows the outbox and the hot index", async () => {
    const ns = await call("POST", "/v1/namespaces", { namespace_name: "batched" });
    expect(ns.status).toBe(201);
    const collection = await call(
      "POST",
      "/v1/collections",
      { collection_name: "items", features: [{ feature_uri: URI, dimensions: 3 }] },
      "batched",
    );
    expect(collection.status).toBe(201);
    const documents = Array.from({ length: 20 }, (_, i) => ({ features: { [URI]: [1, i + 1, 0.5] } }));
    const batch = await call(
      "POST",
      `/v1/collections/${String(collection.body.collection_id)}/documents/batch`,
      { documents },
      "batched",
    );
    expect(batch.status, JSON.stringify(batch.body)).toBe(202);
    const succeeded = { service: "namespace", outcome: "succeeded" };
    await waitUntil(
      async () => (sampleValue(await scrape(), "strata_batch_documents_total", succeeded) ?? 0) >= 20,
      15_000,
      100,
    );
    const text = await scrape();
    expect(sampleValue(text, "strata_batch_documents_total", succeeded)).toBe(20);
    expect(
      sampleValue(text, "strata_batch_chunk_duration_seconds_count", { service: "namespace" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(text, "strata_hotindex_unindexed_vectors", { service: "namespace" }),
    ).toBeGreaterThanOrEqual(0);
    for (const service of ["namespace", "auth", "acl-query"]) {
      expect(sampleValue(text, "strata_outbox_backlog_rows", { service }), service).toBeGreaterThanOrEqual(0);
      expect(sampleValue(text, "strata_outbox_oldest_event_age_seconds", { service }), service).toBeDefined();
    }
  });
});

describe("the outbox backlog", () => {
  it("shows an event that cannot be published as backlog with its age, and none once it is gone", async () => {
    // An event for a subject no stream takes: the relay's publish fails and the row stays.
    const store = openSqliteDocStore({ path: join(dir.path, "auth.db") });
    try {
      const appendedAt = new Date(Date.now() - 90_000);
      const row: OutboxRecord = {
        id: "evt_unroutable",
        subject: "strata.unrouted.metrics-test",
        envelope: "{}",
        created_at: appendedAt.toISOString(),
        seq: appendedAt.getTime() * 1000,
      };
      expect((await store.table<OutboxRecord>(OUTBOX_TABLE).insert(row)).ok).toBe(true);
      const stuck = await scrape();
      expect(sampleValue(stuck, "strata_outbox_backlog_rows", { service: "auth" })).toBe(1);
      expect(
        sampleValue(stuck, "strata_outbox_oldest_event_age_seconds", { service: "auth" }),
      ).toBeGreaterThanOrEqual(90);
      await store.table(OUTBOX_TABLE).delete(row.id);
      const cleared = await scrape();
      expect(sampleValue(cleared, "strata_outbox_backlog_rows", { service: "auth" })).toBe(0);
      expect(sampleValue(cleared, "strata_outbox_oldest_event_age_seconds", { service: "auth" })).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe("/readyz", () => {
  it("names each dependency while ready, and the stopped one when not", async () => {
    const ready = await fetch(`${platform.metricsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: {
        "namespace.nats": true,
        "namespace.store": true,
        "auth.nats": true,
        "auth.store": true,
        "acl-query.nats": true,
        "acl-query.store": true,
        "webhook-dispatcher.nats": true,
        "webhook-dispatcher.store": true,
        "tier-migrator.nats": true,
        "tier-migrator.store": true,
        "manifest.nats": true,
        "manifest.store": true,
        "gateway.nats": true,
        "gateway.auth": true,
        "gateway.namespace": true,
        "gateway.acl-query": true,
        "gateway.webhook-dispatcher": true,
        "gateway.tier-migrator": true,
        "gateway.manifest": true,
      },
    });
    const gatewayReady = await callApi(gatewayUrl, "GET", "/readyz");
    expect(gatewayReady.status).toBe(200);

    const aclQuery = platform.services.find((s) => s.name === "acl-query");
    if (aclQuery === undefined) throw new Error("no acl-query service");
    await aclQuery.stop();
    const notReady = await fetch(`${platform.metricsUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: "not_ready",
      checks: { "acl-query.store": false, "gateway.acl-query": false, "namespace.store": true },
    });
    const publicAnswer = await callApi(gatewayUrl, "GET", "/readyz");
    expect(publicAnswer.status).toBe(503);
    expect(publicAnswer.body).toEqual({
      status: "not_ready",
      checks: {
        nats: true,
        auth: true,
        namespace: true,
        "acl-query": false,
        "webhook-dispatcher": true,
        "tier-migrator": true,
        manifest: true,
      },
    });
  });
});
