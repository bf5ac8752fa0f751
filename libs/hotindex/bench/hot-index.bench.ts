/**
 * Embedded hot index benchmark: N × D clustered vectors (default 100,000 × 384, 100 clusters).
 *   npx tsx libs/hotindex/bench/hot-index.bench.ts [count] [dimensions]
 * Prints the machine, upsert rate (durable: fsynced log), time until the background graph is built,
 * top-10 query p50/p99 unfiltered and with a 1%-selective filter, recall@10 against an exact brute
 * force computed in the same run, the brute-force time per query for scale, resident memory against
 * the raw float32 bytes, and the time to reopen (log replay + graph snapshot load).
 */

import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { BoundFilterNode } from "@strata/filter";
import type { HotRecord, HotSpace } from "../src/index.js";
import { BruteForceCosine, clusteredVectors, openEmbeddedHotIndex } from "../src/index.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const COUNT = Number(process.argv[2] ?? 100_000);
const DIMS = Number(process.argv[3] ?? 384);
const QUERIES = 200;
const K = 10;
const space: HotSpace = {
  namespaceId: "ns_bench",
  featureUri: "strata://bench@v1/embedding",
  dimensions: DIMS,
  metric: "cosine",
};
const selective: BoundFilterNode = { kind: "condition", field: "bucket", operator: "eq", value: 42 };

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const ms = (n: number) => Math.round(n * 1000) / 1000;
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const memory = () => {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
};

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
  }),
);

const data = clusteredVectors({ count: COUNT, dimensions: DIMS, clusters: 100, seed: 2026 });
const queries = data.queries(QUERIES, 7);
const records: HotRecord[] = Array.from({ length: COUNT }, (_, i) => ({
  id: `doc_${i}`,
  collectionId: "col_bench",
  vector: data.vector(i),
  payload: { bucket: i % 100, cluster: data.cluster[i] ?? 0 },
}));

// Brute force in the same run: the baseline for recall and for scale (a tight plain-JS loop over the
// same Float32Array, norms precomputed, one query at a time).
const brute = new BruteForceCosine(data.data, DIMS);
const bruteForce = (query: Float32Array, filter: boolean): string[] =>
  brute.topK(query, K, filter ? (i) => i % 100 === 42 : undefined).map((i) => `doc_${i}`);
const bruteStart = performance.now();
const truth = Array.from({ length: QUERIES }, (_, q) => bruteForce(queries.vector(q), false));
const bruteMsPerQuery = (performance.now() - bruteStart) / QUERIES;
const truthFiltered = Array.from({ length: QUERIES }, (_, q) => bruteForce(queries.vector(q), true));

const dir = await mkdtemp(join(tmpdir(), "strata-hot-bench-"));
const before = memory();
let index = await openEmbeddedHotIndex({ dir });

const upsertStart = performance.now();
for (let i = 0; i < COUNT; i += 1000) {
  const r = await index.upsert(space, records.slice(i, i + 1000));
  if (!r.ok) throw new Error(r.error.message);
}
const upsertS = (performance.now() - upsertStart) / 1000;

// Queries while the graph is still being built (the appendable segment is scanned exactly).
const during: number[] = [];
for (let q = 0; q < 20; q++) {
  const t = performance.now();
  await index.search(space, { vector: queries.vector(q), k: K });
  during.push(performance.now() - t);
}
await index.waitForIndexing();
const indexedS = (performance.now() - upsertStart) / 1000;

async function run(filter: BoundFilterNode | undefined, expected: string[][]) {
  const latencies: number[] = [];
  let found = 0;
  for (let round = 0; round < 2; round++) {
    for (let q = 0; q < QUERIES; q++) {
      const t = performance.now();
      const r = await index.search(space, { vector: queries.vector(q), k: K, ...(filter ? { filter } : {}) });
      const elapsed = performance.now() - t;
      if (!r.ok) throw new Error(r.error.message);
      if (round === 1) {
        latencies.push(elapsed);
        const want = new Set(expected[q]);
        found += r.value.filter((h) => want.has(h.id)).length;
      }
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    p50Ms: ms(pct(latencies, 0.5)),
    p99Ms: ms(pct(latencies, 0.99)),
    recallAt10: found / (QUERIES * K),
  };
}
const unfiltered = await run(undefined, truth);
const filtered = await run(selective, truthFiltered);
const after = memory();
const raw = COUNT * DIMS * 4;
const rssDelta = after.rss - before.rss;
const jsDelta = after.heap - before.heap + (after.external - before.external);

await index.close();
const reopenStart = performance.now();
index = await openEmbeddedHotIndex({ dir });
const reopenS = (performance.now() - reopenStart) / 1000;
const stats = await index.stats();
await index.close();
await rm(dir, { recursive: true, force: true });

during.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      upsertPerSecond: Math.round(COUNT / upsertS),
      graphBuiltAfterS: +indexedS.toFixed(1),
      whileIndexing: { p50Ms: ms(pct(during, 0.5)), p99Ms: ms(pct(during, 0.99)) },
      unfiltered,
      selective1pct: filtered,
      bruteForceMsPerQuery: ms(bruteMsPerQuery),
      memory: {
        rawVectorMB: mb(raw),
        rssDeltaMB: mb(rssDelta),
        rssOverRaw: +(rssDelta / raw).toFixed(2),
        jsHeapAndBuffersMB: mb(jsDelta),
        nativeMB: mb(rssDelta - jsDelta),
      },
      reopenS: +reopenS.toFixed(2),
      indexedAfterReopen: stats.ok ? stats.value.spaces[0]?.indexed : undefined,
    },
    null,
    2,
  ),
);
