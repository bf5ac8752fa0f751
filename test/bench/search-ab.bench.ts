/**
 * npm run bench:search:ab — this checkout's query path against another checkout's, measured in the
 * same minutes. `bench:search` run twice, once per checkout, compares two moments: on a shared
 * machine whose speed drifts by a quarter between minutes (brute force 28–43 ms per query within one
 * hour, 2026-12-06), a difference of a tenth of a millisecond drowns. Here both run as real
 * platform processes side by side (embedded mode, as `npm start` runs them), each loaded with the
 * same workload as `bench:search` in turn, and then the queries alternate between them one by one
 * (which of the two goes first alternates too), so a slower minute slows both alike.
 *
 * It prints, per side, p50/p99 and recall@10 of the unfiltered and the 1%-selective retriever
 * executions, each round's p50, and the median of the per-query differences (this checkout minus
 * the baseline, same query, moments apart). Ingest is timed for each but not interleaved.
 *
 * Environment: BENCH_BASELINE (required: the directory of the other checkout, dependencies
 * installed), BENCH_COUNT (default 30,000), BENCH_DIMS, BENCH_QUERIES (default 500), BENCH_ROUNDS
 * (measured rounds of all queries, default 3), BENCH_BATCH, BENCH_IN_FLIGHT. Vectors go as JSON
 * numbers, which every version of the batch API takes.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchPlatformProcess } from "../e2e/platform-process.js";
import { httpClient } from "./http-json.js";
import * as bench from "./search-workload.js";

const BASELINE = process.env.BENCH_BASELINE;
if (BASELINE === undefined || BASELINE === "") {
  console.error(
    "Set BENCH_BASELINE to the directory of the checkout to compare with (dependencies installed).",
  );
  process.exit(2);
}
const COUNT = Number(process.env.BENCH_COUNT ?? 30_000);
const DIMS = Number(process.env.BENCH_DIMS ?? 384);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 3);

type Launch = typeof launchPlatformProcess;

interface Running {
  readonly child: ChildProcess;
  readonly http: ReturnType<typeof httpClient>;
  readonly dataDir: string;
}

interface Side {
  readonly name: "current" | "baseline";
  readonly execute: (vector: Float32Array, selective: boolean) => Promise<bench.QueryAnswer>;
}

/** Every platform started, stopped at the end whatever happened. */
const running: Running[] = [];

const workload = bench.searchWorkload(COUNT, DIMS, QUERIES);
console.log(
  JSON.stringify({
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, load: loadavg() },
    baseline: resolve(BASELINE),
    count: COUNT,
    dimensions: DIMS,
    queries: QUERIES,
    rounds: ROUNDS,
    brute_force_ms_per_query: bench.round(workload.bruteMsPerQuery, 2),
  }),
);

/** Starts one side's platform (with that checkout's own launcher) and loads the workload into it. */
async function loadSide(name: Side["name"], launch: Launch): Promise<Side> {
  const starts = Array.from({ length: Math.ceil(COUNT / BATCH) }, (_, b) => b * BATCH);
  // Built before the platform starts, as bench:search does: this process shares the cores with it.
  const bodies = new Map(
    starts.map((first) => [first, workload.batchBody(first, Math.min(BATCH, COUNT - first), "json")]),
  );
  const dataDir = await mkdtemp(join(tmpdir(), `strata-search-ab-${name}-`));
  const { child, url } = await launch({
    dataDir,
    env: { GATEWAY_RATE_LIMIT_MAX: "100000000" },
    startTimeoutMs: 120_000,
  });
  const { api_key: apiKey } = JSON.parse(await readFile(join(dataDir, "bootstrap.json"), "utf8")) as {
    api_key: string;
  };
  const http = httpClient(url);
  running.push({ child, http, dataDir });
  const { call, collectionId } = await bench.prepareCollection(
    bench.gatewayCalls(http, apiKey),
    (namespaceId) => bench.gatewayCalls(http, apiKey, namespaceId),
    DIMS,
  );
  const started = performance.now();
  const failedItems = await bench.ingestBatches(call, collectionId, bodies, IN_FLIGHT);
  const seconds = (performance.now() - started) / 1000;
  await bench.waitForGraph(call, collectionId, COUNT);
  console.log(
    JSON.stringify({
      [name]: {
        ingest: {
          seconds: bench.round(seconds, 2),
          documents_per_second: Math.round(COUNT / seconds),
          failed_items: failedItems,
        },
      },
    }),
  );
  return { name, execute: await bench.benchRetriever(call, collectionId) };
}

async function stop({ child, http, dataDir }: Running): Promise<void> {
  http.close();
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await rm(dataDir, { recursive: true, force: true });
}

const baselineLauncher = (await import(
  pathToFileURL(join(resolve(BASELINE), "test/e2e/platform-process.ts")).href
)) as { launchPlatformProcess: Launch };
try {
  const baseline = await loadSide("baseline", baselineLauncher.launchPlatformProcess);
  const current = await loadSide("current", launchPlatformProcess);

  /** Every query once per round on each side, in turns; round 0 warms up and is not kept. */
  const measure = async (selective: boolean, expected: readonly string[][]) => {
    const answers = new Map<Side, { q: number; round: number; answer: bench.QueryAnswer }[]>([
      [baseline, []],
      [current, []],
    ]);
    for (let r = 0; r <= ROUNDS; r++) {
      for (let q = 0; q < QUERIES; q++) {
        const order = (q + r) % 2 === 0 ? [current, baseline] : [baseline, current];
        for (const side of order) {
          const answer = await side.execute(workload.queryVector(q), selective);
          if (r > 0) answers.get(side)?.push({ q, round: r, answer });
        }
      }
    }
    const mine = answers.get(current) ?? [];
    const theirs = answers.get(baseline) ?? [];
    const differences = mine.map((a, i) => a.answer.ms - (theirs[i]?.answer.ms ?? 0)).sort((a, b) => a - b);
    const roundP50 = (list: typeof mine) =>
      Array.from({ length: ROUNDS }, (_, i) =>
        bench.round(
          bench.percentile(
            list
              .filter((a) => a.round === i + 1)
              .map((a) => a.answer.ms)
              .sort((a, b) => a - b),
            0.5,
          ),
        ),
      );
    return {
      current: { ...bench.querySummary(mine, expected), p50_ms_per_round: roundP50(mine) },
      baseline: { ...bench.querySummary(theirs, expected), p50_ms_per_round: roundP50(theirs) },
      // Same query, moments apart: what drift cannot move.
      median_difference_ms: bench.round(bench.percentile(differences, 0.5)),
    };
  };
  const unfiltered = await measure(false, workload.truth);
  const selective = await measure(true, workload.truthSelective);
  console.log(JSON.stringify({ query_through_gateway: { unfiltered, selective_1_percent: selective } }));
} finally {
  for (const started of running) await stop(started);
}
