/**
 * npm run bench:search — the data path end to end, through the REST gateway of a real platform
 * process (embedded mode, as `npm start` runs it; the benchmark itself is a second process):
 *   1. ingest N × D clustered vectors (default 100,000 × 384) through the batch API, and time it
 *      until every batch is completed (durable in SQLite, vectors fsynced and searchable);
 *   2. wait for the background HNSW build (probing query latency; the appendable segment answers
 *      exactly meanwhile), and report how long that took;
 *   3. execute a retriever through the gateway, top-10, unfiltered and with a 1%-selective filter
 *      (`metadata.bucket eq 42`): p50/p99 latency per request, recall@10 against an exact brute
 *      force computed here on the same vectors, and the brute-force time per query for scale;
 *   4. the platform process's resident memory (VmRSS) before ingest, right after the queries and
 *      after 20 s idle, against the raw float32 vector bytes, and where it sits.
 * Requests go through node:http, not fetch: the latency is timed here, and fetch's own garbage
 * collection on Node 20 added several milliseconds to the measured tail (see http-json.ts).
 * Environment: BENCH_COUNT, BENCH_DIMS, BENCH_QUERIES (default 500), BENCH_BATCH (default 5,000),
 * BENCH_IN_FLIGHT (batches submitted at once, default 3), BENCH_VECTOR_FORMAT (`b64`, the default: vectors as
 * base64 float32 `vector_b64`; `json`: arrays of numbers, as before issue 14), BENCH_NODE_ARGS (extra Node flags for the platform process, space-separated, for experiments).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { launchPlatformProcess } from "../e2e/platform-process.js";
import { httpClient } from "./http-json.js";
import { cpuSecondsOf, hotIndexWorkerLimit, sqliteInsertLimit } from "./ingest-limits.js";
import {
  benchRetriever,
  gatewayCalls,
  ingestBatches,
  percentile,
  prepareCollection,
  type QueryAnswer,
  querySummary,
  round,
  searchWorkload,
  waitForGraph,
} from "./search-workload.js";

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const DIMS = Number(process.env.BENCH_DIMS ?? 384);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 3);
/** How batch bodies carry vectors: base64 float32 (`vector_b64`, default) or JSON numbers (`json`). */
const VECTOR_FORMAT = process.env.BENCH_VECTOR_FORMAT === "json" ? "json" : "b64";
/** Queries sent one after another right after ingest, while the graph is still being built. */
const DURING_BUILD_QUERIES = 50;

interface Platform {
  readonly child: ChildProcess;
  readonly url: string;
  readonly metricsUrl: string;
  readonly apiKey: string;
  readonly http: ReturnType<typeof httpClient>;
}

async function startPlatformProcess(dataDir: string): Promise<Platform> {
  const profile = process.env.BENCH_CPU_PROF;
  const { child, url, metricsUrl } = await launchPlatformProcess({
    dataDir,
    env: { GATEWAY_RATE_LIMIT_MAX: "100000000" },
    nodeArgs: [
      ...(profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`]),
      ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
    ],
    startTimeoutMs: 120_000,
  });
  const { api_key: apiKey } = JSON.parse(await readFile(join(dataDir, "bootstrap.json"), "utf8")) as {
    api_key: string;
  };
  return { child, url, metricsUrl, apiKey, http: httpClient(url) };
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/**
 * Where the platform's resident memory sits: V8's heap (used and reserved) and the memory V8 counts
 * outside it (Buffers, typed arrays) from the platform's metrics listener (the embedded platform
 * is one process), and the anonymous vs file-backed split of the process's pages.
 */
async function memoryBreakdown(platform: Platform): Promise<Record<string, number>> {
  const text = await (await fetch(`${platform.metricsUrl}/metrics`)).text();
  const gauge = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const smaps = await readFile(`/proc/${platform.child.pid}/smaps_rollup`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(smaps)?.[1] ?? NaN) * 1024;
  const mb = (bytes: number) => round(bytes / 1e6, 1);
  return {
    v8_heap_used_mb: mb(gauge("nodejs_heap_size_used_bytes")),
    v8_heap_total_mb: mb(gauge("nodejs_heap_size_total_bytes")),
    v8_external_mb: mb(gauge("nodejs_external_memory_bytes")),
    anonymous_mb: mb(kb("Anonymous")),
    file_backed_mb: mb(kb("Rss") - kb("Anonymous")),
  };
}

console.log(
  JSON.stringify({
    machine: {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      node: process.version,
      load: loadavg().map((l) => +l.toFixed(2)),
    },
    count: COUNT,
    dimensions: DIMS,
    batch_size: BATCH,
    batches_in_flight: IN_FLIGHT,
    vector_format: VECTOR_FORMAT,
  }),
);

const workload = searchWorkload(COUNT, DIMS, QUERIES);
const { truth, truthSelective, bruteMsPerQuery, data } = workload;

// The request bodies are built before the platform starts: this process shares the two cores with
// it, and serialising 5,000 × 384 numbers while the platform waits would be measuring the client.
// (Not between requests either: seconds of synchronous work leave the client's kept-alive sockets
// to be reused after the server closed them, and the next upload fails with EPIPE.)
// The limits beside the ingest figure, measured here before the platform starts (issue 14).
const CHUNK = 500;
const limits = {
  sqlite_document_and_outbox_rows: await sqliteInsertLimit(COUNT, CHUNK),
  hot_index_alone_in_a_worker: await hotIndexWorkerLimit(data, DIMS, CHUNK),
};
console.log(JSON.stringify({ limits }));

const starts = Array.from({ length: Math.ceil(COUNT / BATCH) }, (_, b) => b * BATCH);
const bodies = new Map(
  starts.map((first) => [first, workload.batchBody(first, Math.min(BATCH, COUNT - first), VECTOR_FORMAT)]),
);

const dataDir = await mkdtemp(join(tmpdir(), "strata-search-bench-"));
const platform = await startPlatformProcess(dataDir);
try {
  const pid = platform.child.pid ?? 0;
  const { call, collectionId } = await prepareCollection(
    gatewayCalls(platform.http, platform.apiKey),
    (namespaceId) => gatewayCalls(platform.http, platform.apiKey, namespaceId),
    DIMS,
  );
  const rssBefore = await residentBytes(pid);
  const beforeBreakdown = await memoryBreakdown(platform);

  // 1. Ingest: IN_FLIGHT batches at a time, each polled until it is completed.
  const cpuBefore = await cpuSecondsOf(pid);
  const ingestStart = performance.now();
  const failedItems = await ingestBatches(call, collectionId, bodies, IN_FLIGHT);
  const ingestSeconds = (performance.now() - ingestStart) / 1000;
  const cpuAfter = await cpuSecondsOf(pid);
  const ingestCpu = cpuAfter.tree - cpuBefore.tree;
  const msPerDocument = (seconds: number) => round((seconds * 1000) / COUNT, 3);
  console.log(
    JSON.stringify({
      ingest: {
        documents: COUNT,
        failed_items: failedItems,
        seconds: round(ingestSeconds, 2),
        documents_per_second: Math.round(COUNT / ingestSeconds),
        // Platform and nats-server CPU over the ingest: what the code costs, whatever else runs.
        platform_cpu_seconds: round(ingestCpu, 1),
        platform_cpu_ms_per_document: msPerDocument(ingestCpu),
        // Of which: the platform's main thread (every embedded service's event loop), its other
        // threads, and the nats-server child.
        cpu_ms_per_document_by_part: {
          main_thread: msPerDocument(cpuAfter.main - cpuBefore.main),
          other_threads: msPerDocument(
            cpuAfter.process - cpuBefore.process - (cpuAfter.main - cpuBefore.main),
          ),
          nats_server: msPerDocument(cpuAfter.tree - cpuBefore.tree - (cpuAfter.process - cpuBefore.process)),
        },
        load_average_after: loadavg().map((l) => +l.toFixed(2)),
      },
    }),
  );

  const executeRetriever = await benchRetriever(call, collectionId);
  const execute = (q: number, selective: boolean) => executeRetriever(workload.queryVector(q), selective);

  // 2. Searchable at once (exact scan of the appendable segment); fast once the graph is built,
  // which GET /v1/collections/{id} reports (vector_index[].pending).
  const during: number[] = [];
  for (let q = 0; q < DURING_BUILD_QUERIES; q++) during.push((await execute(q % QUERIES, false)).ms);
  during.sort((a, b) => a - b);
  const buildStart = performance.now();
  await waitForGraph(call, collectionId, COUNT);
  console.log(
    JSON.stringify({
      graph_build: {
        seconds_after_ingest: round((performance.now() - buildStart) / 1000, 1),
        query_p50_ms_while_building: round(percentile(during, 0.5)),
      },
    }),
  );

  // 3. Queries, twice over (the first round warms up), measured on the second.
  const measure = async (selective: boolean, expected: readonly string[][]) => {
    const answers: { q: number; answer: QueryAnswer }[] = [];
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < QUERIES; q++) {
        const answer = await execute(q, selective);
        if (pass === 1) answers.push({ q, answer });
      }
    }
    return querySummary(answers, expected);
  };
  const unfiltered = await measure(false, truth);
  const selective = await measure(true, truthSelective);
  const rssAfter = await residentBytes(pid);
  // V8 gives memory back after a few idle seconds (its memory reducer); what stays is the data.
  await new Promise((r) => setTimeout(r, 20_000));
  const rssSettled = await residentBytes(pid);
  const settledBreakdown = await memoryBreakdown(platform);
  const rawBytes = COUNT * DIMS * 4;
  console.log(
    JSON.stringify({
      query_through_gateway: { unfiltered, selective_1_percent: selective },
      brute_force_ms_per_query: round(bruteMsPerQuery, 2),
      memory: {
        raw_vector_mb: round(rawBytes / 1e6, 1),
        platform_rss_before_mb: round(rssBefore / 1e6, 1),
        platform_rss_after_queries_mb: round(rssAfter / 1e6, 1),
        platform_rss_after_20s_idle_mb: round(rssSettled / 1e6, 1),
        growth_vs_raw: round((rssSettled - rssBefore) / rawBytes, 2),
        total_vs_raw: round(rssSettled / rawBytes, 2),
        before: beforeBreakdown,
        after_idle: settledBreakdown,
      },
    }),
  );
} finally {
  platform.http.close();
  platform.child.kill("SIGTERM");
  await new Promise((r) => platform.child.once("exit", r));
  await rm(dataDir, { recursive: true, force: true });
}
