/**
 * Log compaction cost: N × D vectors in two collections (default 100,000 live + 100,000 deleted,
 * 384-d), then the delete of one collection, which compacts the log (ADR 0017).
 *   npx tsx libs/hotindex/bench/compaction.bench.ts [count] [dimensions]
 * Prints the log size before and after, the compaction's wall time, and the longest event-loop
 * block seen meanwhile (a 1 ms timer's largest lateness).
 */

import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmbeddedSpace } from "../src/embedded/embedded-space.js";
import { DEFAULT_GRAPH_OPTIONS } from "../src/embedded/hnsw-graph.js";
import { DEFAULT_PLANNER } from "../src/embedded/space-search.js";
import { clusteredVectors } from "../src/index.js";

const COUNT = Number(process.argv[2] ?? 100_000);
const DIMS = Number(process.argv[3] ?? 384);
const dir = await mkdtemp(join(tmpdir(), "strata-compaction-bench-"));
await mkdir(dir, { recursive: true });
const space = {
  namespaceId: "ns",
  featureUri: "strata://bench@v1/e",
  dimensions: DIMS,
  metric: "cosine" as const,
};
const s = await EmbeddedSpace.open(space, dir, { graph: DEFAULT_GRAPH_OPTIONS, planner: DEFAULT_PLANNER });
const data = clusteredVectors({ count: COUNT, dimensions: DIMS, clusters: 100, seed: 1 });
for (const collectionId of ["kept", "gone"]) {
  for (let from = 0; from < COUNT; from += 5_000) {
    const records = [];
    for (let i = from; i < Math.min(COUNT, from + 5_000); i++)
      records.push({
        id: `d${i}`,
        collectionId,
        vector: data.vector(i),
        payload: { seq: i, tag: `t${i % 50}` },
      });
    await s.upsert(records);
  }
}
const before = (await stat(join(dir, "vectors.log"))).size;

let longest = 0;
let last = performance.now();
const timer = setInterval(() => {
  const now = performance.now();
  longest = Math.max(longest, now - last - 1);
  last = now;
}, 1);
const started = performance.now();
await s.deleteCollection("gone");
const took = performance.now() - started;
clearInterval(timer);
const after = (await stat(join(dir, "vectors.log"))).size;
console.log(
  `${COUNT} live + ${COUNT} deleted × ${DIMS}-d: log ${(before / 2 ** 20).toFixed(0)} MiB → ${(after / 2 ** 20).toFixed(0)} MiB; ` +
    `compaction ${took.toFixed(0)} ms; longest event-loop block ${longest.toFixed(1)} ms`,
);
await s.close();
await rm(dir, { recursive: true, force: true });
