import {
  connectNats,
  ensureEventStream,
  OUTBOX_TABLE,
  OUTBOX_TABLE_SPEC,
  type OutboxRecord,
  OutboxRelay,
} from "@strata/bus";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import type { NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsListener } from "./metrics-listener.js";
import { createProcessMetrics } from "./process-metrics.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** `name{service="…"} value` of a scrape, or undefined when the series is absent. */
function sample(text: string, name: string, service: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{service="${service}"}`));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

describe("process metrics", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: TempDir;
  let store: DocStore;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "metrics-test" });
    await ensureEventStream(nc);
    dir = await tempDir("metrics-outbox");
    store = openSqliteDocStore({ path: `${dir.path}/store.db` });
    await store.ensureTable(OUTBOX_TABLE_SPEC);
  });
  afterAll(async () => {
    await store?.close();
    await dir?.remove();
    await nc?.close();
    await server?.stop();
  });

  it("shows an unpublished outbox row as backlog with its age, and an empty outbox once relayed", async () => {
    const metrics = createProcessMetrics();
    const unwatch = metrics.forService("svc", nc).watchOutbox(store);
    expect(sample(await metrics.registry.metrics(), "strata_outbox_backlog_rows", "svc")).toBe(0);
    expect(sample(await metrics.registry.metrics(), "strata_outbox_oldest_event_age_seconds", "svc")).toBe(0);

    const appendedAt = new Date(Date.now() - 90_000);
    const row: OutboxRecord = {
      id: "evt_metrics_1",
      subject: "strata.evt.ns_metrics.namespace.created",
      envelope: "{}",
      created_at: appendedAt.toISOString(),
      seq: appendedAt.getTime() * 1000,
    };
    expect((await store.table<OutboxRecord>(OUTBOX_TABLE).insert(row)).ok).toBe(true);
    const waiting = await metrics.registry.metrics();
    expect(sample(waiting, "strata_outbox_backlog_rows", "svc")).toBe(1);
    expect(sample(waiting, "strata_outbox_oldest_event_age_seconds", "svc")).toBeGreaterThanOrEqual(90);

    const relay = new OutboxRelay({ store, nc, logger: silent, pollIntervalMs: 50 });
    relay.start();
    await relay.stop(); // publishes what is pending before it stops
    const relayed = await metrics.registry.metrics();
    expect(sample(relayed, "strata_outbox_backlog_rows", "svc")).toBe(0);
    expect(sample(relayed, "strata_outbox_oldest_event_age_seconds", "svc")).toBe(0);

    unwatch();
    expect(sample(await metrics.registry.metrics(), "strata_outbox_backlog_rows", "svc")).toBeUndefined();
  });

  it("keeps one registry per call: two in one process never clash, and each has its own series", async () => {
    const first = createProcessMetrics();
    const second = createProcessMetrics();
    first.forService("auth", nc).grpc.callFinished("strata.auth.v1.AuthService/VerifyKey", 0, 0.002);
    second.forService("auth", nc);
    const calls =
      'strata_grpc_server_calls_total{service="auth",grpc_service="strata.auth.v1.AuthService",grpc_method="VerifyKey",code="OK"}';
    expect(await first.registry.metrics()).toContain(`${calls} 1`);
    expect(await second.registry.metrics()).not.toContain(calls);
  });

  it("reports the hot index's waiting vectors while watched, and leaves a failing source out", async () => {
    const metrics = createProcessMetrics();
    const namespace = metrics.forService("namespace", nc);
    const unwatch = namespace.watchHotIndex(async () => 7);
    metrics.forService("other", nc).watchHotIndex(async () => {
      throw new Error("index unavailable");
    });
    const text = await metrics.registry.metrics();
    expect(sample(text, "strata_hotindex_unindexed_vectors", "namespace")).toBe(7);
    expect(sample(text, "strata_hotindex_unindexed_vectors", "other")).toBeUndefined();
    unwatch();
    expect(
      sample(await metrics.registry.metrics(), "strata_hotindex_unindexed_vectors", "namespace"),
    ).toBeUndefined();
  });

  it("serves /metrics and /readyz on its own listener and nothing else", async () => {
    const metrics = createProcessMetrics();
    let storeUp = true;
    const listener = await startMetricsListener({
      registry: metrics.registry,
      host: "127.0.0.1",
      port: 0,
      readiness: async () => ({ "svc.nats": true, "svc.store": storeUp }),
    });
    try {
      const scraped = await fetch(`${listener.url}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("process_cpu_user_seconds_total");
      expect((await fetch(`${listener.url}/`)).status).toBe(404);
      expect((await fetch(`${listener.url}/metrics`, { method: "POST" })).status).toBe(405);
      const ready = await fetch(`${listener.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: "ready",
        checks: { "svc.nats": true, "svc.store": true },
      });
      storeUp = false;
      const notReady = await fetch(`${listener.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({
        status: "not_ready",
        checks: { "svc.nats": true, "svc.store": false },
      });
    } finally {
      await listener.close();
    }
  });
});
