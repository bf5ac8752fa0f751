import { cpSync, readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "@strata/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { clusteredVectors } from "../clustered-vectors.js";
import type { CopiedRecord, DocRef, HotIndex, HotSpace } from "../port.js";
import { spaceKey } from "../space-key.js";
import { openEmbeddedHotIndex } from "./embedded-hot-index.js";
import { EmbeddedSpace } from "./embedded-space.js";
import { DEFAULT_GRAPH_OPTIONS } from "./hnsw-graph.js";
import type { CompactionStep } from "./log-compaction.js";
import { copyEmbeddedSpace } from "./space-copy.js";
import { writeSpaceDescriptor } from "./space-descriptor.js";
import { DEFAULT_PLANNER } from "./space-search.js";

const base = await tempDir("strata-space-copy");
afterAll(() => base.remove());
const DIMS = 16;
const COUNT = 3000;
const spaceOf = (namespaceId: string): HotSpace => ({
  namespaceId,
  featureUri: "strata://t@v1/e",
  dimensions: DIMS,
  metric: "cosine",
});
const source = spaceOf("ns-src");
const target = spaceOf("ns-copy");
const data = clusteredVectors({ count: COUNT, dimensions: DIMS, clusters: 12, seed: 7 });
const records = Array.from({ length: COUNT }, (_, i) => ({
  id: `d${i}`,
  collectionId: i % 2 === 0 ? "even" : "odd",
  vector: data.vector(i),
  payload: { seq: i },
}));

/** The copy's collection ids and payloads: `<collection>-copy`, and the payload marked. */
const renamed = (ref: DocRef): CopiedRecord => ({
  collectionId: `${ref.collectionId}-copy`,
  payload: { seq: Number(ref.id.slice(1)), copied: true },
});

async function filledIndex(name: string): Promise<HotIndex> {
  const index = await openEmbeddedHotIndex({ dir: join(base.path, name) });
  expect((await index.upsert(source, records)).ok).toBe(true);
  await index.waitForIndexing();
  return index;
}

const value = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

/** The names of the space directories under an index's directory whose descriptor names `space`. */
function spaceDirs(dir: string, space: HotSpace): string[] {
  return readdirSync(dir).filter((name) => name === `space-${spaceKey(space)}`);
}

describe("copying a space of the embedded hot index", () => {
  it("copies every record remapped, with the graph: the copy answers the source's searches at once", async () => {
    const index = await filledIndex("whole");
    const report = value(await index.copySpace(source, target, renamed));
    expect(report).toEqual({ copied: COUNT, graph: "copied" });
    // The graph came along: nothing waits for indexing in the copy.
    const stats = value(await index.stats(target)).spaces[0];
    expect(stats).toMatchObject({ count: COUNT, indexed: COUNT });
    for (const i of [0, 17, 1234, 2999]) {
      const query = { vector: data.vector(i), k: 10 };
      const fromSource = value(await index.search(source, query));
      const fromCopy = value(await index.search(target, query));
      expect(fromCopy.map((h) => [h.id, `${h.collectionId}`, h.score])).toEqual(
        fromSource.map((h) => [h.id, `${h.collectionId}-copy`, h.score]),
      );
      expect(fromCopy[0]?.payload).toEqual({ seq: i, copied: true });
    }
    await index.close();
    // Durable: a restart finds the copy, its graph included.
    const reopened = await openEmbeddedHotIndex({ dir: join(base.path, "whole") });
    expect(value(await reopened.stats(target)).spaces[0]).toMatchObject({ count: COUNT, indexed: COUNT });
    await reopened.close();
  });

  it("shares nothing: writes and deletes on either side never show on the other", async () => {
    const index = await filledIndex("isolation");
    value(await index.copySpace(source, target, renamed));
    await index.upsert(source, [{ id: "new", collectionId: "even", vector: data.vector(5), payload: {} }]);
    await index.upsert(target, [
      { id: "d5", collectionId: "odd-copy", vector: data.vector(9), payload: { x: 1 } },
    ]);
    expect(value(await index.delete(target, [{ collectionId: "even-copy", id: "d4" }]))).toBe(1);
    expect(value(await index.get(target, [{ collectionId: "even-copy", id: "new" }]))).toEqual([]);
    expect(value(await index.get(source, [{ collectionId: "even", id: "d4" }]))).toHaveLength(1);
    expect(value(await index.get(source, [{ collectionId: "odd", id: "d5" }]))[0]?.payload).toEqual({
      seq: 5,
    });
    expect(value(await index.count(source))).toBe(COUNT + 1);
    // d5 replaced in place, d4 deleted: one fewer.
    expect(value(await index.count(target))).toBe(COUNT - 1);
    await index.close();
  });

  it("leaves out dead and unkept records, renumbers the slots and rebuilds the graph", async () => {
    const index = await filledIndex("partial");
    await index.delete(source, [{ collectionId: "even", id: "d0" }]);
    // Only the odd collection is copied.
    const report = value(
      await index.copySpace(source, target, (ref) => (ref.collectionId === "odd" ? renamed(ref) : undefined)),
    );
    expect(report).toEqual({ copied: COUNT / 2, graph: "rebuilt" });
    await index.waitForIndexing();
    expect(value(await index.stats(target)).spaces[0]).toMatchObject({
      count: COUNT / 2,
      indexed: COUNT / 2,
    });
    const [hit] = value(await index.search(target, { vector: data.vector(101), k: 1 }));
    expect(hit).toMatchObject({ id: "d101", collectionId: "odd-copy", payload: { seq: 101, copied: true } });
    expect(value(await index.count(target, undefined, ["even-copy", "even"]))).toBe(0);
    await index.close();
  });

  it("a failed copy leaves no trace of the target, which can then be copied again", async () => {
    const index = await filledIndex("failure");
    let seen = 0;
    const failed = await index.copySpace(source, target, (ref) => {
      if (++seen === 2000) throw new Error("remap failed");
      return renamed(ref);
    });
    expect(failed.ok).toBe(false);
    expect(spaceDirs(join(base.path, "failure"), target)).toEqual([]);
    expect(value(await index.count(target))).toBe(0);
    expect(value(await index.copySpace(source, target, renamed))).toEqual({ copied: COUNT, graph: "copied" });
    await index.close();
  });

  it("a crash at any step of the copy leaves what the namespace's drop removes whole, and the source intact", async () => {
    const root = join(base.path, "crash");
    const sourceDir = join(root, `space-${spaceKey(source)}`);
    await mkdir(sourceDir, { recursive: true });
    writeSpaceDescriptor(sourceDir, source);
    const options = { graph: DEFAULT_GRAPH_OPTIONS, planner: DEFAULT_PLANNER };
    const s = await EmbeddedSpace.open(source, sourceDir, options);
    await s.upsert(records);
    while (s.pending) s.indexStep(1024, 1);
    const copies: [CompactionStep, string][] = [];
    const { space: copy } = await copyEmbeddedSpace(
      s,
      target,
      join(root, `space-${spaceKey(target)}`),
      renamed,
      {
        ...options,
        onStep: (step) => {
          const at = join(base.path, `crash-${copies.length}-${step}`);
          cpSync(root, at, { recursive: true });
          copies.push([step, at]);
        },
      },
    );
    await copy.close();
    await s.close();
    expect(new Set(copies.map(([step]) => step))).toEqual(
      new Set(["chunk-written", "log-written", "log-renamed", "dir-synced"]),
    );
    for (const [step, at] of copies) {
      const index = await openEmbeddedHotIndex({ dir: at });
      expect(spaceDirs(at, target), step).toHaveLength(1);
      expect((await index.dropNamespace(target.namespaceId)).ok, step).toBe(true);
      expect(spaceDirs(at, target), step).toEqual([]);
      expect(value(await index.count(source)), step).toBe(COUNT);
      await index.close();
    }
  });
});
