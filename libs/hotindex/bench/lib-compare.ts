/**
 * Quick comparison of the two HNSW libraries on clustered vectors (build time, query latency,
 * recall@10 after exact re-scoring, resident memory). One library per process run:
 *   npx tsx bench/lib-compare.ts usearch f16 | usearch i8 | usearch f32 | hnswlib
 */
import { createRequire } from "node:module";
import { clusteredVectors } from "../src/clustered-vectors.js";

const require = createRequire(import.meta.url);
const [lib = "usearch", quant = "f16", countArg = "20000", connArg = "16", efcArg = "128"] =
  process.argv.slice(2);
const count = Number(countArg);
const dims = 384;
const k = 10;
const data = clusteredVectors({ count, dimensions: dims, clusters: Math.max(10, count / 1000), seed: 7 });
// Queries: new points around the same centres, not copies of indexed vectors.
const queries = data.queries(200, 99);
const qs: Float32Array[] = [];
for (let i = 0; i < 200; i++) qs.push(queries.vector(i));

function cos(a: Float32Array, b: Float32Array): number {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0,
      y = b[i] ?? 0;
    d += x * y;
    na += x * x;
    nb += y * y;
  }
  return d / Math.sqrt(na * nb);
}
const t0 = performance.now();
const truth = qs.map((q) => {
  const s: [number, number][] = [];
  for (let i = 0; i < count; i++) s.push([cos(q, data.vector(i)), i]);
  s.sort((a, b) => b[0] - a[0]);
  return new Set(s.slice(0, k).map((x) => x[1]));
});
const bruteMs = (performance.now() - t0) / qs.length;
global.gc?.();
const rss0 = process.memoryUsage().rss;
let search: (q: Float32Array, n: number) => number[];
const b0 = performance.now();
if (lib === "usearch") {
  const u = require("usearch") as typeof import("usearch");
  const index = new u.Index({
    dimensions: dims,
    metric: u.MetricKind.Cos,
    quantization: quant as never,
    connectivity: Number(connArg),
    expansion_add: Number(efcArg),
    expansion_search: 64,
    multi: false,
  });
  const keys = new BigUint64Array(count);
  for (let i = 0; i < count; i++) keys[i] = BigInt(i);
  for (let s = 0; s < count; s += 256)
    index.add(
      keys.subarray(s, Math.min(count, s + 256)),
      data.data.subarray(s * dims, Math.min(count, s + 256) * dims),
      2,
    );
  search = (q, n) => Array.from(index.search(q, n, 1).keys, Number);
} else {
  const h = require("hnswlib-node") as typeof import("hnswlib-node");
  const index = new h.HierarchicalNSW("cosine", dims);
  index.initIndex(count, Number(connArg), Number(efcArg), 100);
  for (let i = 0; i < count; i++) index.addPoint(Array.from(data.vector(i)), i);
  index.setEf(64);
  search = (q, n) => index.searchKnn(Array.from(q), n).neighbors;
}
const buildMs = performance.now() - b0;
global.gc?.();
const rss1 = process.memoryUsage().rss;
for (const oversample of [10, 60, 200]) {
  const lat: number[] = [];
  let hits = 0;
  for (let r = 0; r < 2; r++) {
    for (let qi = 0; qi < qs.length; qi++) {
      const q = qs[qi] as Float32Array;
      const t = performance.now();
      const cands = search(q, oversample).map((i) => [cos(q, data.vector(i)), i] as const);
      cands.sort((a, b) => b[0] - a[0]);
      lat.push(performance.now() - t);
      if (r === 1) for (const [, i] of cands.slice(0, k)) if (truth[qi]?.has(i)) hits++;
    }
  }
  lat.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      lib,
      quant,
      count,
      conn: connArg,
      efc: efcArg,
      oversample,
      buildS: +(buildMs / 1000).toFixed(1),
      perVectorMs: +(buildMs / count).toFixed(3),
      p50: +(lat[Math.floor(lat.length / 2)] ?? 0).toFixed(3),
      p99: +(lat[Math.floor(lat.length * 0.99)] ?? 0).toFixed(3),
      recall: hits / (qs.length * k),
      nativeMB: +((rss1 - rss0) / 1e6).toFixed(1),
      rawMB: (count * dims * 4) / 1e6,
      bruteMs: +bruteMs.toFixed(2),
    }),
  );
}
