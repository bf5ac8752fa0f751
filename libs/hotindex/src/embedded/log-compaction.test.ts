import { cpSync, readdirSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "@strata/testkit";
import { afterAll, describe, expect, it } from "vitest";
import type { HotSpace } from "../port.js";
import { EmbeddedSpace } from "./embedded-space.js";
import { DEFAULT_GRAPH_OPTIONS } from "./hnsw-graph.js";
import type { CompactionStep } from "./log-compaction.js";
import { DEFAULT_PLANNER } from "./space-search.js";

const base = await tempDir("strata-compaction");
afterAll(() => base.remove());
const options = { graph: DEFAULT_GRAPH_OPTIONS, planner: DEFAULT_PLANNER };
const space: HotSpace = {
  namespaceId: "ns",
  featureUri: "strata://t@v1/e",
  dimensions: 8,
  metric: "euclidean",
};
const SECRET = "secret-marker-7f3a";
const KEPT = 400;

const record = (collectionId: string, i: number) => ({
  id: `${collectionId}-doc-${i}`,
  collectionId,
  // The deleted collection's vectors differ from every kept one, so their bytes can be searched for.
  vector: Float32Array.from(
    { length: 8 },
    (_, d) => (i + 1) * 0.5 + d + (collectionId === "gone" ? 0.25 : 0),
  ),
  payload: { note: collectionId === "gone" ? `${SECRET}-${i}` : `kept-${i}`, i },
});

/** A space with a live collection, a deleted-to-be one, an unsettled staged write, and a saved graph. */
async function prepared(name: string): Promise<EmbeddedSpace> {
  const dir = join(base.path, name);
  await mkdir(dir, { recursive: true });
  const s = await EmbeddedSpace.open(space, dir, options);
  await s.upsert(Array.from({ length: KEPT }, (_, i) => record("kept", i)));
  await s.upsert(Array.from({ length: 300 }, (_, i) => record("gone", i)));
  await s.stage("w1", [record("kept", 1000)]);
  while (s.pending) s.indexStep(1024, 1);
  s.saveGraphIfWorthIt(1);
  return s;
}

/** Every byte of every file under `dir`, as latin1 text to search in. */
function allBytes(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)).toString("latin1"))
    .join("\n");
}

const goneVectorBytes = Buffer.from(record("gone", 5).vector.buffer).toString("latin1");

async function expectLiveDataIntact(dir: string, label: string): Promise<void> {
  const s = await EmbeddedSpace.open(space, dir, options);
  try {
    expect(s.stats().count, label).toBe(KEPT);
    const [got] = s.get([{ collectionId: "kept", id: "kept-doc-7" }]);
    expect(got?.payload, label).toEqual({ note: "kept-7", i: 7 });
    expect(Array.from(got?.vector ?? []), label).toEqual(Array.from(record("kept", 7).vector));
    expect(s.get([{ collectionId: "gone", id: "gone-doc-7" }]), label).toEqual([]);
    expect(s.stagedWrites(), label).toEqual([
      { writeId: "w1", refs: [{ collectionId: "kept", id: "kept-doc-1000" }] },
    ]);
    const [hit] = s.search({ vector: record("kept", 42).vector, k: 1 });
    expect(hit === undefined ? undefined : s.table.idOf(hit.slot), label).toBe("kept-doc-42");
  } finally {
    await s.close();
  }
}

describe("log compaction", () => {
  it("deleting a collection rewrites the log and drops the graph: its ids, payloads and vectors leave the disk", async () => {
    const s = await prepared("delete");
    const dir = s.dir;
    expect(allBytes(dir)).toContain(SECRET);
    expect(allBytes(dir)).toContain("gone-doc-5");
    expect(allBytes(dir)).toContain(goneVectorBytes);
    expect(await s.deleteCollection("gone")).toBe(300);
    const bytes = allBytes(dir);
    expect(bytes).not.toContain(SECRET);
    expect(bytes).not.toContain("gone-doc-");
    expect(bytes).not.toContain(goneVectorBytes);
    // The new log takes writes and the graph is rebuilt from the new slots.
    await s.commit("w1");
    while (s.pending) s.indexStep(1024, 1);
    s.saveGraphIfWorthIt(1);
    expect(s.stats()).toMatchObject({ count: KEPT + 1, indexed: KEPT + 1 });
    await s.close();
    const reopened = await EmbeddedSpace.open(space, dir, options);
    expect(reopened.stats().count).toBe(KEPT + 1);
    expect(reopened.stagedWrites()).toEqual([]);
    expect(reopened.get([{ collectionId: "kept", id: "kept-doc-1000" }])).toHaveLength(1);
    await reopened.close();
  });

  it("a crash at any step leaves the old log or the new one, and the live data intact", async () => {
    const s = await prepared("crash");
    // Fewer dead records than live ones: no compaction yet, the deleted bytes are still in the log.
    const gone = Array.from({ length: 300 }, (_, i) => ({ collectionId: "gone", id: `gone-doc-${i}` }));
    expect(await s.delete(gone)).toBe(300);
    expect(allBytes(s.dir)).toContain(SECRET);
    const copies: [CompactionStep, string][] = [];
    await s.compact({
      recordsPerFrame: 64,
      onStep: (step) => {
        const copy = join(base.path, `crash-${copies.length}-${step}`);
        cpSync(s.dir, copy, { recursive: true });
        copies.push([step, copy]);
      },
    });
    await s.close();
    const steps = copies.map(([step]) => step);
    expect(new Set(steps)).toEqual(
      new Set(["graph-dropped", "chunk-written", "log-written", "log-renamed", "dir-synced"]),
    );
    // 400 live records + 1 staged write at 64 records a frame: 8 frames.
    expect(steps.filter((step) => step === "chunk-written")).toHaveLength(8);
    for (const [step, copy] of copies) {
      await expectLiveDataIntact(copy, step);
      expect(
        readdirSync(copy).some((name) => name.endsWith(".compact")),
        step,
      ).toBe(false);
    }
    expect(allBytes(join(base.path, "crash")), "after the compaction").not.toContain(SECRET);
    await expectLiveDataIntact(join(base.path, "crash"), "after the compaction");
  });
});
