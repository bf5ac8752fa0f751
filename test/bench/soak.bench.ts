/**
 * npm run bench:soak — the platform under steady mixed traffic for a long while: reads, searches,
 * writes, batches and key changes (soak-traffic.ts) at SOAK_RATE operations/s for SOAK_MINUTES
 * (default 10). The platform runs as `npm start` runs it (embedded: one process, its own
 * nats-server), with soak-probe.mjs preloaded to report its memory and event-loop delay. Each
 * minute prints RSS, heap, event-loop delay and the operation and error counts. Fails (exit 1) when
 * any operation got an unexpected answer, or when memory keeps climbing: the least-squares slope of
 * RSS, or of the heap after full collections, over the second half of the run above
 * SOAK_MAX_RSS_SLOPE_MB_PER_MIN (default 2) or SOAK_MAX_HEAP_SLOPE_MB_PER_MIN (default 1).
 */
import { readFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tempDir } from "@strata/testkit";
import { callApi } from "../e2e/harness.js";
import { killLaunchedPlatforms, launchPlatformProcess } from "../e2e/platform-process.js";
import { slope } from "./slope.js";
import { OP_KINDS, type OpCounts, SoakTraffic } from "./soak-traffic.js";

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const rate = Number(process.env.SOAK_RATE ?? 20);
const maxRssSlope = Number(process.env.SOAK_MAX_RSS_SLOPE_MB_PER_MIN ?? 2);
const maxHeapSlope = Number(process.env.SOAK_MAX_HEAP_SLOPE_MB_PER_MIN ?? 1);
const PROBE_INTERVAL_MS = 5000;
const URI = "strata://soak@v1/embedding";
const DIMENSIONS = 16;
const MB = 1024 * 1024;

interface ProbeSample {
  readonly atMinutes: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapAfterMajorGc: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(
  `soak: ${minutes} min at ${rate} operations/s, memory sampled every ${PROBE_INTERVAL_MS / 1000} s\n`,
);

const dataDir = await tempDir("strata-soak");
const samples: ProbeSample[] = [];
let started = performance.now();
const elapsedMinutes = (): number => (performance.now() - started) / 60_000;
const platform = await launchPlatformProcess({
  dataDir: dataDir.path,
  nodeArgs: ["--import", pathToFileURL(join(import.meta.dirname, "soak-probe.mjs")).href],
  env: { SOAK_PROBE_INTERVAL_MS: String(PROBE_INTERVAL_MS) },
});
let pendingLine = "";
platform.child.stdout?.on("data", (chunk: Buffer) => {
  const lines = (pendingLine + chunk.toString("utf8")).split("\n");
  pendingLine = lines.pop() ?? "";
  for (const line of lines) {
    if (!line.startsWith("soak-probe ")) continue;
    const sample = JSON.parse(line.slice("soak-probe ".length)) as Omit<ProbeSample, "atMinutes">;
    samples.push({ ...sample, atMinutes: elapsedMinutes() });
  }
});

let failed = false;
try {
  const traffic = new SoakTraffic(await setUp(platform.url));
  started = performance.now();
  samples.length = 0;
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const op = traffic.runOne();
    inFlight.add(op);
    void op.finally(() => inFlight.delete(op));
  }, 1000 / rate);
  for (let minute = 1; minute <= minutes; minute++) {
    await new Promise((resolve) => setTimeout(resolve, started + minute * 60_000 - performance.now()));
    console.log(
      minuteRow(
        minute,
        traffic.counts,
        samples.filter((s) => s.atMinutes > minute - 1),
      ),
    );
  }
  clearInterval(timer);
  await Promise.all([...inFlight]);
  failed = !verdict(traffic.counts, samples);
} finally {
  platform.child.kill("SIGTERM");
  await platform.exited;
  killLaunchedPlatforms();
  await dataDir.remove();
}
process.exit(failed ? 1 : 0);

/** A namespace, a collection and a retriever over it; answers what the traffic needs. */
async function setUp(url: string) {
  const bootstrap = JSON.parse(await readFile(join(dataDir.path, "bootstrap.json"), "utf8")) as {
    api_key: string;
  };
  const adminKey = bootstrap.api_key;
  const made = async (path: string, body: unknown, namespace?: string): Promise<Record<string, unknown>> => {
    const answer = await callApi(url, "POST", path, {
      key: adminKey,
      body,
      ...(namespace ? { namespace } : {}),
    });
    if (answer.status !== 201)
      throw new Error(`set-up ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  await made("/v1/namespaces", { namespace_name: "soak" });
  const collection = await made(
    "/v1/collections",
    {
      collection_name: "soak",
      features: [{ feature_uri: URI, dimensions: DIMENSIONS }],
      metadata_schema: { type: "object", properties: { n: { type: "integer" }, kind: { type: "string" } } },
      indexed_fields: ["kind"],
    },
    "soak",
  );
  const retriever = await made(
    "/v1/retrievers",
    { retriever_name: "soak", collection_ids: ["soak"], feature_uri: URI, top_k: 10 },
    "soak",
  );
  return {
    url,
    adminKey,
    namespace: "soak",
    collectionId: String(collection.collection_id),
    retrieverId: String(retriever.retriever_id),
    featureUri: URI,
    dimensions: DIMENSIONS,
  };
}

function minuteRow(minute: number, counts: OpCounts, recent: readonly ProbeSample[]): string {
  const last = recent[recent.length - 1];
  const done = OP_KINDS.map((kind) => `${kind} ${counts.done[kind]}`).join(", ");
  const errors = OP_KINDS.reduce((sum, kind) => sum + counts.errors[kind], 0);
  const memory =
    last === undefined
      ? "no probe sample"
      : `rss ${mb(last.rss)} MB, heap ${mb(last.heapUsed)} MB (${mb(last.heapAfterMajorGc)} after full GC)`;
  const p99 = Math.max(0, ...recent.map((s) => s.delayP99Ms));
  const max = Math.max(0, ...recent.map((s) => s.delayMaxMs));
  return `min ${String(minute).padStart(2)}  ${memory}, loop delay p99 ${p99.toFixed(1)} ms max ${max.toFixed(1)} ms  |  ${done}  |  errors ${errors}`;
}

/** Prints the slopes over the second half and every error sample; true when the run passes. */
function verdict(counts: OpCounts, all: readonly ProbeSample[]): boolean {
  const secondHalf = all.filter((s) => s.atMinutes >= minutes / 2);
  const rssSlope = slope(secondHalf.map((s) => ({ x: s.atMinutes, y: s.rss / MB })));
  const heapSlope = slope(secondHalf.map((s) => ({ x: s.atMinutes, y: s.heapAfterMajorGc / MB })));
  const errors = OP_KINDS.reduce((sum, kind) => sum + counts.errors[kind], 0);
  const operations = OP_KINDS.reduce((sum, kind) => sum + counts.done[kind], 0);
  console.log(
    `\nsecond half (${secondHalf.length} samples): rss ${rssSlope.toFixed(2)} MB/min (limit ${maxRssSlope}), ` +
      `heap after full GC ${heapSlope.toFixed(2)} MB/min (limit ${maxHeapSlope})`,
  );
  console.log(`${operations} operations, ${errors} errors`);
  for (const sample of counts.samples) console.log(`  ${sample}`);
  const passed =
    errors === 0 && rssSlope <= maxRssSlope && heapSlope <= maxHeapSlope && secondHalf.length >= 2;
  console.log(passed ? "PASS" : "FAIL");
  return passed;
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}
