/**
 * Warm and cold tier throughput on the fs ObjectStore (issue 11: ≥ 5,000 documents/s per move
 * direction at 384-d).
 *   npm run bench:warmindex [-- count]
 * Prints, for COUNT documents × 384-d in batches of 1,000 (a move's batch):
 * - warm upsert (hot → warm) and warm get + delete (warm → hot), docs/s; baseline: the same vector
 *   bytes written (and read back) as one raw ObjectStore object per batch, in the same run;
 * - cold putMany (warm/hot → cold) and cold get (→ hot), docs/s; baseline: raw puts/gets of
 *   same-sized objects with the same concurrency;
 * - warm search k=10 with a filter, cached and uncached p50; baseline: an in-memory brute-force scan.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { openObjectColdStore, readObject } from "@strata/coldstore";
import type { BoundFilterNode } from "@strata/filter";
import { toPredicate } from "@strata/filter";
import { clusteredVectors, exactScore, type HotRecord } from "@strata/hotindex";
import { mapLimit, openFsObjectStore } from "@strata/objectstore";
import { openEmbeddedWarmIndex } from "../src/index.js";

const COUNT = Number(process.argv[2] ?? 20_000);
const DIMS = 384;
const BATCH = 1_000;
const dir = await mkdtemp(join(tmpdir(), "strata-warm-bench-"));
const store = await openFsObjectStore({ root: dir });
const data = clusteredVectors({ count: COUNT, dimensions: DIMS, clusters: 50, seed: 3 });
const records: HotRecord[] = Array.from({ length: COUNT }, (_, i) => ({
  id: `doc_${i}`,
  collectionId: `col_${i % 4}`,
  vector: data.vector(i),
  payload: {
    collection_id: `col_${i % 4}`,
    _acl: { owner: `prn_${i % 13}`, read: [`prn_${i % 7}`, "role:analyst"], write: [], public: i % 10 === 0 },
    metadata: { year: 2000 + (i % 25), tag: `t${i % 9}` },
  },
}));
const batches = Array.from({ length: Math.ceil(COUNT / BATCH) }, (_, b) =>
  records.slice(b * BATCH, (b + 1) * BATCH),
);
const rate = (n: number, ms: number) => `${Math.round((n * 1000) / ms).toLocaleString("en-US")} docs/s`;
const time = async (work: () => Promise<unknown>) => {
  const t = performance.now();
  await work();
  return performance.now() - t;
};
const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

console.log(
  `warm/cold bench: ${COUNT} docs × ${DIMS}-d, batches of ${BATCH}, fs ObjectStore, ${cpus().length} cores (shared)`,
);

// Baseline: the batch's raw float32 bytes as one object, then read back.
const rawPut = await time(async () => {
  for (const [b, batch] of batches.entries()) {
    const bytes = new Float32Array(batch.length * DIMS);
    batch.forEach((r, i) => {
      bytes.set(r.vector, i * DIMS);
    });
    must(await store.put(`raw/batch-${b}`, new Uint8Array(bytes.buffer)));
  }
});
const rawGet = await time(async () => {
  for (let b = 0; b < batches.length; b++) await readObject(store, `raw/batch-${b}`);
});

const space = {
  namespaceId: "ns_bench",
  featureUri: "strata://bench@v1/e",
  dimensions: DIMS,
  metric: "cosine" as const,
};
const warm = openEmbeddedWarmIndex({ store });
const upsert = await time(async () => {
  for (const batch of batches) must(await warm.upsert(space, batch));
});
await warm.close();
// A fresh index (nothing cached): the warm → hot direction reads the segments back.
const reader = openEmbeddedWarmIndex({ store });
const back = await time(async () => {
  for (const batch of batches) {
    const refs = batch.map((r) => ({ collectionId: r.collectionId, id: r.id }));
    const got = must(await reader.get(space, refs));
    if (got.length !== batch.length) throw new Error("warm get lost vectors");
    must(await reader.delete(space, refs));
  }
});
console.log(`baseline raw ObjectStore put (one object per batch): ${rate(COUNT, rawPut)}`);
console.log(`warm upsert (hot → warm):                          ${rate(COUNT, upsert)}`);
console.log(`baseline raw ObjectStore get (one object per batch): ${rate(COUNT, rawGet)}`);
console.log(`warm get + delete (warm → hot, uncached):          ${rate(COUNT, back)}`);
await reader.close();

// Search: filter like a caller's visibility, k = 10.
const searchIndex = openEmbeddedWarmIndex({ store, prefix: "warm-search" });
for (const batch of batches) must(await searchIndex.upsert(space, batch));
const filter: BoundFilterNode = {
  kind: "or",
  nodes: [
    { kind: "condition", field: "_acl.public", operator: "eq", value: true },
    { kind: "condition", field: "_acl.read", operator: "in", value: ["prn_3", "role:nobody"] },
  ],
};
const queries = Array.from({ length: 20 }, (_, i) => data.vector((i * 997) % COUNT));
const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const cached: number[] = [];
for (const q of queries)
  cached.push(await time(async () => must(await searchIndex.search(space, { vector: q, k: 10, filter }))));
await searchIndex.close();
const uncachedIndex = openEmbeddedWarmIndex({ store, prefix: "warm-search", cacheBytes: 1 });
const uncached: number[] = [];
for (const q of queries.slice(0, 5))
  uncached.push(
    await time(async () => must(await uncachedIndex.search(space, { vector: q, k: 10, filter }))),
  );
await uncachedIndex.close();
const predicate = toPredicate(filter);
const brute: number[] = [];
for (const q of queries) {
  brute.push(
    await time(async () => {
      const scored = records
        .filter((r) => predicate(r.payload as Record<string, unknown>))
        .map((r) => exactScore("cosine", q, r.vector));
      scored.sort((a, b) => b - a);
    }),
  );
}
console.log(`baseline in-memory brute-force filtered scan, p50: ${p50(brute).toFixed(1)} ms`);
console.log(`warm search k=10 with the filter, cached, p50:     ${p50(cached).toFixed(1)} ms`);
console.log(`warm search k=10 with the filter, uncached, p50:   ${p50(uncached).toFixed(1)} ms`);

// Cold: one object per document.
const cold = openObjectColdStore({ store });
const coldDocs = records.map((r) => ({
  namespaceId: "ns_bench",
  collectionId: r.collectionId,
  documentId: r.id,
  vectors: [
    {
      featureUri: space.featureUri,
      dimensions: DIMS,
      metric: "cosine" as const,
      vector: r.vector as Float32Array,
    },
  ],
  payload: r.payload,
}));
const coldPut = await time(async () => {
  for (let i = 0; i < coldDocs.length; i += BATCH) must(await cold.putMany(coldDocs.slice(i, i + BATCH)));
});
const coldGet = await time(async () => {
  await mapLimit(coldDocs, 16, async (d) => must(await cold.get(d)));
});
const blob = new Uint8Array(DIMS * 4 + 300);
const rawColdPut = await time(async () => {
  await mapLimit(coldDocs, 16, async (d) =>
    must(await store.put(`rawcold/${d.collectionId}/${d.documentId}`, blob)),
  );
});
const rawColdGet = await time(async () => {
  await mapLimit(coldDocs, 16, (d) => readObject(store, `rawcold/${d.collectionId}/${d.documentId}`));
});
console.log(`baseline raw ObjectStore put, one object per doc: ${rate(COUNT, rawColdPut)}`);
console.log(`cold putMany (→ cold):                            ${rate(COUNT, coldPut)}`);
console.log(`baseline raw ObjectStore get, one object per doc: ${rate(COUNT, rawColdGet)}`);
console.log(`cold get (cold → hot):                            ${rate(COUNT, coldGet)}`);

await store.close();
await rm(dir, { recursive: true, force: true });
