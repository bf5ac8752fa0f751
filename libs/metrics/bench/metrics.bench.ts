/**
 * npm run bench:metrics — what the metrics cost, measured against a baseline in the same run:
 *   (a) unary gRPC calls through startGrpcServer without a call observer (baseline) and with the
 *       process metrics' observer, alternated in rounds so drift hits both alike;
 *   (b) the observer alone (one counter increment and one histogram observation per call);
 *   (c) one scrape of a process registry holding 3 outboxes (SQLite, BENCH_OUTBOX_ROWS rows each)
 *       and 5 durable consumers (one JetStream consumer info each), beside a scrape of process
 *       figures only (BENCH_SCRAPES of each, 1 s apart).
 * Environment: BENCH_CALLS per round (default 5000), BENCH_ROUNDS (default 4), BENCH_SCRAPES (10).
 */
import { cpus, loadavg } from "node:os";
import * as grpc from "@grpc/grpc-js";
import {
  connectNats,
  ensureEventStream,
  OUTBOX_TABLE,
  OUTBOX_TABLE_SPEC,
  type OutboxRecord,
} from "@strata/bus";
import { openSqliteDocStore } from "@strata/docstore";
import { ok } from "@strata/errors";
import {
  callUnary,
  clientInterceptors,
  createChannelOptions,
  type GrpcCallObserver,
  startGrpcServer,
  unary,
} from "@strata/grpc";
import { createLogger } from "@strata/logger";
import { authV1 } from "@strata/proto";
import { startNatsServer, tempDir } from "@strata/testkit";
import { AckPolicy } from "nats";
import { Registry } from "prom-client";
import { createProcessMetrics } from "../src/index.js";

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const OUTBOX_ROWS = Number(process.env.BENCH_OUTBOX_ROWS ?? 1000);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 10);
const CONCURRENCY = 16;
const TOKEN = "bench-internal-token-0123456789abcdef";
const round1 = (n: number) => Math.round(n * 10) / 10;

async function grpcCallsPerSecond(observer: GrpcCallObserver | undefined): Promise<number> {
  const server = await startGrpcServer({
    serviceName: "auth",
    host: "127.0.0.1",
    port: 0,
    internalToken: TOKEN,
    logger: createLogger({ service: "bench", level: "silent" }),
    services: [
      {
        name: "strata.auth.v1.AuthService",
        definition: authV1.AuthServiceService,
        implementation: { verifyKey: unary(async () => ok({ valid: false })) },
      },
    ],
    ...(observer === undefined ? {} : { callObserver: observer }),
  });
  const client = new authV1.AuthServiceClient(server.address, grpc.credentials.createInsecure(), {
    interceptors: clientInterceptors({ internalToken: TOKEN }),
    ...createChannelOptions(),
  });
  try {
    const verify = client.verifyKey.bind(client);
    await callUnary(verify, { secret: "warm-up" });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          next += 1;
          const answer = await callUnary(verify, { secret: "x" });
          if (!answer.ok) throw new Error(answer.error.message);
        }
      }),
    );
    return CALLS / ((performance.now() - started) / 1000);
  } finally {
    client.close();
    await server.shutdown(100);
  }
}

function observerNanoseconds(observer: GrpcCallObserver): number {
  const n = 1_000_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) observer.callFinished("strata.auth.v1.AuthService/VerifyKey", 0, 0.0004);
  return ((performance.now() - started) * 1e6) / n;
}

/** Scrapes spaced past the consumer-info reuse window (1 s), so each one asks JetStream again. */
async function scrapeMs(registry: Registry, times: number): Promise<{ p50: number; max: number }> {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const started = performance.now();
    await registry.metrics();
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return { p50: round1(durations[Math.floor(times / 2)] ?? 0), max: round1(durations.at(-1) ?? 0) };
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load ${loadavg().map(round1).join(" ")}, node ${process.version}`,
);

// (a) and (b)
const metrics = createProcessMetrics();
const observer = metrics.forService("auth", { isClosed: () => true } as never).grpc;
const without: number[] = [];
const withObserver: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  without.push(await grpcCallsPerSecond(undefined));
  withObserver.push(await grpcCallsPerSecond(observer));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const [base, measured] = [mean(without), mean(withObserver)];
console.log(
  `(a) unary gRPC, ${CALLS} calls × ${ROUNDS} rounds, ${CONCURRENCY} in flight: ` +
    `without observer ${Math.round(base)} calls/s [${without.map(Math.round).join(", ")}], ` +
    `with observer ${Math.round(measured)} calls/s [${withObserver.map(Math.round).join(", ")}] ` +
    `(${round1(((measured - base) / base) * 100)} %)`,
);
const perCallNs = observerNanoseconds(observer);
console.log(
  `(b) the observer alone: ${Math.round(perCallNs)} ns per call = ${round1((perCallNs / (1e9 / base)) * 100)} % of one call at the baseline rate`,
);

// (c)
const nats = await startNatsServer();
const dir = await tempDir("metrics-bench-");
const nc = await connectNats({ servers: nats.url, name: "metrics-bench" });
try {
  await ensureEventStream(nc);
  const jsm = await nc.jetstreamManager();
  const scraped = createProcessMetrics();
  const stores = [];
  for (const service of ["auth", "namespace", "acl-query"]) {
    const store = openSqliteDocStore({ path: `${dir.path}/${service}.db` });
    stores.push(store);
    await store.ensureTable(OUTBOX_TABLE_SPEC);
    const table = store.table<OutboxRecord>(OUTBOX_TABLE);
    for (let i = 0; i < OUTBOX_ROWS; i++) {
      await table.insert({
        id: `evt_${service}_${i}`,
        subject: "strata.evt.ns_bench.document.created",
        envelope: "{}",
        created_at: new Date().toISOString(),
        seq: i + 1,
      });
    }
    scraped.forService(service, nc).watchOutbox(store);
  }
  const consumers = scraped.forService("acl-query", nc).consumers;
  for (let i = 0; i < 5; i++) {
    await jsm.consumers.add("STRATA_EVENTS", { durable_name: `bench_${i}`, ack_policy: AckPolicy.Explicit });
    consumers.consumerStarted("STRATA_EVENTS", `bench_${i}`);
  }
  const processOnly = new Registry();
  const { collectDefaultMetrics } = await import("prom-client");
  collectDefaultMetrics({ register: processOnly });
  const text = await scraped.registry.metrics();
  const series = ["strata_outbox_backlog_rows", "strata_consumer_pending_messages"].map(
    (name) => text.split("\n").filter((line) => line.startsWith(`${name}{`)).length,
  );
  if (series[0] !== 3 || series[1] !== 5)
    throw new Error(`expected 3 outbox and 5 consumer series, got ${series}`);
  const baseline = await scrapeMs(processOnly, SCRAPES);
  const full = await scrapeMs(scraped.registry, SCRAPES);
  console.log(
    `(c) one scrape, ${SCRAPES} times 1 s apart: process figures only p50 ${baseline.p50} ms (max ${baseline.max}); ` +
      `with 3 outboxes of ${OUTBOX_ROWS} rows and 5 durables p50 ${full.p50} ms (max ${full.max})`,
  );
  for (const store of stores) await store.close();
} finally {
  await nc.close();
  await nats.stop();
  await dir.remove();
}
