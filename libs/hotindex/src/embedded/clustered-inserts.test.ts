import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "@strata/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { BruteForceCosine } from "../brute-force.js";
import { clusteredVectors } from "../clustered-vectors.js";
import { EmbeddedSpace } from "./embedded-space.js";
import { DEFAULT_GRAPH_OPTIONS } from "./hnsw-graph.js";
import { DEFAULT_PLANNER } from "./space-search.js";

const DIMS = 64;
const BASE = 20_000;
const ADDED = 10_000;
const QUERIES = 20;
const K = 10;

const dir = await tempDir("strata-clustered");
afterAll(() => dir.remove());

/**
 * Issue 8, finding 7: 10,000 tightly clustered vectors added to a 20,000-vector space. The new
 * vectors link almost only to each other, and a query nearer to the older vectors (but not far from
 * the cluster) was walked into the cluster: recall@10 of 0 with every hit a cluster member.
 */
describe("recall after a tight cluster is added to an indexed space", () => {
  it("holds mean recall@10 ≥ 0.95 with no query below 0.5, before and after the graph takes the cluster", async () => {
    const path = join(dir.path, "space");
    await mkdir(path, { recursive: true });
    const space = await EmbeddedSpace.open(
      { namespaceId: "ns", featureUri: "strata://t@v1/e", dimensions: DIMS, metric: "cosine" },
      path,
      { graph: DEFAULT_GRAPH_OPTIONS, planner: DEFAULT_PLANNER },
    );
    const base = clusteredVectors({ count: BASE, dimensions: DIMS, clusters: 40, seed: 7 });
    const tight = clusteredVectors({ count: ADDED, dimensions: DIMS, clusters: 1, seed: 99, spread: 0.005 });
    const all = new Float32Array((BASE + ADDED) * DIMS);
    all.set(base.data, 0);
    all.set(tight.data, BASE * DIMS);
    const upsertRows = async (from: number, to: number) => {
      for (let i = from; i < to; i += 1_000) {
        const rows = Array.from({ length: Math.min(1_000, to - i) }, (_, j) => i + j);
        await space.upsert(
          rows.map((row) => ({
            id: `d${row}`,
            collectionId: "c",
            vector: all.subarray(row * DIMS, (row + 1) * DIMS),
            payload: {},
          })),
        );
      }
    };
    const indexAll = () => {
      while (space.pending) space.indexStep(1_024, 1);
    };
    // Queries between an old cluster and the new one, nearer the old: each is an old-cluster query
    // plus 0.8 × a query of the new cluster.
    const near = base.queries(QUERIES, 1_234);
    const drift = tight.queries(QUERIES, 4_321);
    const queries = Array.from({ length: QUERIES }, (_, q) => {
      const v = Float32Array.from(near.vector(q));
      const d = drift.vector(q);
      for (let i = 0; i < DIMS; i++) v[i] = (v[i] ?? 0) + 0.8 * (d[i] ?? 0);
      return v;
    });
    const recalls = (): number[] => {
      const exact = new BruteForceCosine(all.subarray(0, space.table.liveCount * DIMS), DIMS);
      return queries.map((query) => {
        const truth = new Set(exact.topK(query, K).map((row) => space.table.slotOf("c", `d${row}`)));
        return space.search({ vector: query, k: K }).filter((h) => truth.has(h.slot)).length / K;
      });
    };
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

    await upsertRows(0, BASE);
    indexAll();
    await upsertRows(BASE, BASE + ADDED);
    const appendable = recalls();
    indexAll();
    expect(space.indexedUpTo).toBe(BASE + ADDED);
    const indexed = recalls();
    await space.close();

    const report = `appendable ${appendable.join(",")} | indexed ${indexed.join(",")}`;
    expect(mean(appendable), report).toBeGreaterThanOrEqual(0.95);
    expect(Math.min(...appendable), report).toBeGreaterThanOrEqual(0.5);
    expect(mean(indexed), report).toBeGreaterThanOrEqual(0.95);
    expect(Math.min(...indexed), report).toBeGreaterThanOrEqual(0.5);
  }, 120_000);
});
