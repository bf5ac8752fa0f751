import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "@strata/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { clusteredVectors } from "../clustered-vectors.js";
import type { HotSpace } from "../port.js";
import { EmbeddedSpace } from "./embedded-space.js";
import { DEFAULT_GRAPH_OPTIONS } from "./hnsw-graph.js";
import { DEFAULT_PLANNER, searchSpace } from "./space-search.js";

const base = await tempDir("strata-space");
afterAll(() => base.remove());
const options = { graph: DEFAULT_GRAPH_OPTIONS, planner: DEFAULT_PLANNER };
const space: HotSpace = {
  namespaceId: "ns",
  featureUri: "strata://t@v1/e",
  dimensions: 32,
  metric: "cosine",
};

async function filledSpace(name: string, count: number): Promise<EmbeddedSpace> {
  const dir = join(base.path, name);
  await mkdir(dir, { recursive: true });
  const s = await EmbeddedSpace.open(space, dir, options);
  const data = clusteredVectors({ count, dimensions: 32, clusters: 20, seed: 4 });
  const records = Array.from({ length: count }, (_, i) => ({
    id: `d${i}`,
    collectionId: "c",
    vector: data.vector(i),
    payload: { bucket: i % 100, seq: i },
  }));
  await s.upsert(records);
  return s;
}

function indexAll(s: EmbeddedSpace): void {
  while (s.pending) s.indexStep(1024, 1);
}

describe("EmbeddedSpace", () => {
  it("plans: postings + exact scan for a selective filter, the graph otherwise, exact before indexing", async () => {
    const s = await filledSpace("plan", 12_000);
    const query = { vector: s.table.vector(5), k: 10 };
    // Nothing in the graph yet: the appendable segment is scanned, so the answer is the exact one.
    const exactOnly = { ...DEFAULT_PLANNER, exactScanMin: 1_000_000 };
    const exact = searchSpace(s, query, exactOnly);
    expect(exact.path).toBe("exact_full");
    expect(searchSpace(s, query, DEFAULT_PLANNER).ranked).toEqual(exact.ranked);
    indexAll(s);
    expect(searchSpace(s, query, DEFAULT_PLANNER).path).toBe("graph");
    const eq = {
      ...query,
      filter: { kind: "condition", field: "bucket", operator: "eq", value: 3 },
    } as const;
    expect(searchSpace(s, eq, DEFAULT_PLANNER).path).toBe("exact_candidates");
    // A selective range has no postings: a sample estimates it, then an exact scan answers.
    const range = {
      ...query,
      filter: { kind: "condition", field: "seq", operator: "lt", value: 50 },
    } as const;
    const answer = searchSpace(s, range, DEFAULT_PLANNER);
    expect(answer.path).toBe("exact_full");
    expect(answer.ranked.length).toBe(10);
    // A broad filter goes through the graph with extra candidates.
    const broad = {
      ...query,
      filter: { kind: "condition", field: "seq", operator: "gte", value: 1_000 },
    } as const;
    expect(searchSpace(s, broad, DEFAULT_PLANNER).path).toBe("graph");
    await s.close();
  });

  it("rebuilds the graph without dead vectors once a quarter are dead, and never returns them", async () => {
    const s = await filledSpace("rebuild", 4_000);
    indexAll(s);
    expect(s.graph.size).toBe(4_000);
    await s.delete(Array.from({ length: 1_500 }, (_, i) => ({ collectionId: "c", id: `d${i * 2}` })));
    expect(s.stats().indexed).toBe(2_500);
    expect(s.pending).toBe(true);
    indexAll(s);
    expect(s.graph.size).toBe(2_500);
    const hits = s.search({ vector: s.table.vector(0), k: 50 });
    expect(hits.length).toBe(50);
    expect(hits.every((h) => s.table.isAlive(h.slot))).toBe(true);
    await s.close();
  });
});
