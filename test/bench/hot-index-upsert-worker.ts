/**
 * The hot index on its own in a worker thread, as the limit beside the gateway's ingest rate in
 * `bench:search`: the same vectors upserted in chunks of the batch worker's size (durable — the log
 * fsynced — and searchable when each call returns), then the time until the graph is built. The
 * vectors arrive as a transferred buffer (no copy).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { type HotRecord, openEmbeddedHotIndex } from "@strata/hotindex";

interface Job {
  readonly vectors: Float32Array;
  readonly dimensions: number;
  readonly chunk: number;
}

const { vectors, dimensions, chunk } = workerData as Job;
const count = vectors.length / dimensions;
const space = {
  namespaceId: "ns_limit",
  featureUri: "strata://bench@v1/embedding",
  dimensions,
  metric: "cosine" as const,
};
// No top-level await: the worker loads through tsx's CommonJS hooks (see startTsWorker).
async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "strata-hot-limit-"));
  const index = await openEmbeddedHotIndex({ dir });
  try {
    const started = performance.now();
    for (let first = 0; first < count; first += chunk) {
      const records: HotRecord[] = [];
      for (let i = first; i < Math.min(count, first + chunk); i++) {
        records.push({
          id: `d${i}`,
          collectionId: "col_limit",
          vector: vectors.subarray(i * dimensions, (i + 1) * dimensions),
          payload: { bucket: i % 100 },
        });
      }
      const upserted = await index.upsert(space, records);
      if (!upserted.ok) throw new Error(upserted.error.message);
    }
    const upsertSeconds = (performance.now() - started) / 1000;
    await index.waitForIndexing();
    const builtSeconds = (performance.now() - started) / 1000;
    parentPort?.postMessage({ upsertSeconds, builtSeconds });
  } finally {
    await index.close();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
