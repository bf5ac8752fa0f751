import { describe, expect, it } from "vitest";
import { clusteredVectors } from "../clustered-vectors.js";
import { norm } from "../scoring.js";
import { slotScorer } from "./exact-scan.js";
import { probeSampleOf, sampleBeats } from "./probe-sample.js";
import { VectorTable } from "./vector-table.js";

const DIMS = 24;

function tableOf(count: number, options: { readonly hugeEvery?: number; readonly spikeAt?: number } = {}) {
  const vectors = clusteredVectors({ count, dimensions: DIMS, clusters: 9, seed: 5 });
  const table = new VectorTable(DIMS);
  for (let i = 0; i < count; i++) {
    const v = vectors.vector(i).slice();
    if (options.hugeEvery !== undefined && i % options.hugeEvery === 0) v[0] = 1e30;
    // All of its length on one axis: as a unit vector, a value no clustered vector comes near.
    if (i === options.spikeAt) v.fill(0, 1)[0] = 1;
    table.append("c", `d${i}`, {}, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return { table, queries: vectors.queries(20, 4) };
}

describe("sampleBeats (usearch ranks the probe sample, exact scores decide)", () => {
  it("answers what scoring every sampled slot answers, for every metric and floors around the sample's scores", () => {
    const { table, queries } = tableOf(5_000);
    for (const metric of ["cosine", "dot", "euclidean"] as const)
      for (let q = 0; q < 20; q++) {
        const sample = probeSampleOf(table, metric, 4_800, 256);
        const query = queries.vector(q);
        const score = slotScorer(table, metric, query, norm(query));
        const scores = Array.from(sample.slots, score).sort((a, b) => b - a);
        // Floors at, just around and between the best sampled scores: the edges where order matters.
        const floors = [0, 1, 2, 5, 20].flatMap((i) => {
          const s = scores[i] as number;
          return [s, s - 1e-9, s + 1e-9, (s + (scores[i + 1] as number)) / 2];
        });
        for (const floor of floors)
          for (const eligible of [() => true, (slot: number) => slot % 3 !== 0]) {
            const everySlot = Array.from(sample.slots).some((slot) => eligible(slot) && score(slot) > floor);
            expect(sampleBeats(sample, query, floor, eligible, score), `${metric} q${q} ${floor}`).toBe(
              everySlot,
            );
          }
      }
  });

  it("ranks the whole sample when the first slots ranked natively settle nothing", () => {
    const { table, queries } = tableOf(5_000);
    const sample = probeSampleOf(table, "dot", 4_800, 256);
    const query = queries.vector(1);
    const score = slotScorer(table, "dot", query, norm(query));
    const byScore = Array.from(sample.slots).sort((a, b) => score(b) - score(a));
    const floor = score(byScore.at(-1) as number) - 1;
    const farthest = byScore.at(-1) as number;
    expect(sampleBeats(sample, query, floor, (slot) => slot === farthest, score)).toBe(true);
    expect(sampleBeats(sample, query, floor, () => false, score)).toBe(false);
  });

  it("scores every sampled slot itself for a query int8 cannot hold (all zeros)", () => {
    const { table } = tableOf(1_000);
    const sample = probeSampleOf(table, "cosine", 1_000, 100);
    const zero = new Float32Array(DIMS);
    const score = slotScorer(table, "cosine", zero, norm(zero));
    expect(sampleBeats(sample, zero, -1, () => true, score)).toBe(true);
    expect(sampleBeats(sample, zero, 0, () => true, score)).toBe(false);
  });

  it("samples every step-th slot below the graph's size, and a new sample once the graph grows", () => {
    const { table } = tableOf(3_000);
    const sample = probeSampleOf(table, "euclidean", 2_000, 512);
    expect(Array.from(sample.slots.slice(0, 3))).toEqual([0, 3, 6]);
    expect(sample.slots.length).toBe(667);
    expect(Array.from(sample.floats?.subarray(DIMS, 2 * DIMS) ?? [])).toEqual(Array.from(table.vector(3)));
    expect(probeSampleOf(table, "euclidean", 2_000, 512)).toBe(sample);
    const cosine = probeSampleOf(table, "cosine", 2_000, 512);
    expect(cosine.quantized?.rows.length).toBe(667 * DIMS);
    expect(cosine.floats).toBeUndefined();
    const grown = probeSampleOf(table, "cosine", 3_000, 512);
    expect(grown).not.toBe(sample);
    expect(grown.slots.length).toBe(600);
  });

  it("grows a sample in place as the graph grows, answering as a sample taken at once", () => {
    const { table, queries } = tableOf(5_000);
    const { table: twin } = tableOf(5_000);
    for (const metric of ["cosine", "dot", "euclidean"] as const) {
      // Both at step 4 (4,100 / 1,024 and 4,800 / 1,024 round down to 4): 1,025 rows, then 1,200.
      const first = probeSampleOf(table, metric, 4_100, 1_024);
      const grown = probeSampleOf(table, metric, 4_800, 1_024);
      const fresh = probeSampleOf(twin, metric, 4_800, 1_024);
      expect(grown.slots.buffer).toBe(first.slots.buffer);
      expect(Array.from(grown.slots)).toEqual(Array.from(fresh.slots));
      if (metric === "euclidean")
        expect(Array.from(grown.floats ?? [])).toEqual(Array.from(fresh.floats ?? []));
      else expect(grown.quantized?.rows.buffer).toBe(first.quantized?.rows.buffer);
      for (let q = 0; q < 20; q++) {
        const query = queries.vector(q);
        const score = slotScorer(table, metric, query, norm(query));
        const scores = Array.from(grown.slots, score).sort((a, b) => b - a);
        for (const floor of [0, 1, 3, 10].map((i) => scores[i] as number))
          for (const f of [floor, floor - 1e-9]) {
            const everySlot = Array.from(grown.slots).some((slot) => score(slot) > f);
            expect(
              sampleBeats(grown, query, f, () => true, score),
              `${metric} q${q} ${f}`,
            ).toBe(everySlot);
          }
      }
    }
  });

  it("takes the sample anew when a new row does not fit its int8 scale, or the step changes", () => {
    // Slot 4,400 is sampled at step 4, and as a unit vector its one value is beyond the scale.
    const { table, queries } = tableOf(5_000, { spikeAt: 4_400 });
    const first = probeSampleOf(table, "cosine", 4_100, 1_024);
    const grown = probeSampleOf(table, "cosine", 4_800, 1_024);
    expect(grown.quantized?.rows.buffer).not.toBe(first.quantized?.rows.buffer);
    expect(grown.quantized?.scale).toBeGreaterThan(first.quantized?.scale ?? Infinity);
    const query = queries.vector(3);
    const score = slotScorer(table, "cosine", query, norm(query));
    const best = Math.max(...Array.from(grown.slots, score));
    expect(sampleBeats(grown, query, best - 1e-9, () => true, score)).toBe(true);
    expect(sampleBeats(grown, query, best, () => true, score)).toBe(false);
    // 5,000 / 1,000 is step 5: every row but the first is another slot.
    const restepped = probeSampleOf(table, "cosine", 5_000, 1_000);
    expect(restepped.slots.buffer).not.toBe(grown.slots.buffer);
    expect(Array.from(restepped.slots.slice(0, 3))).toEqual([0, 5, 10]);
  });

  it("scores every sampled slot itself when usearch's float32 distance overflows", () => {
    // A component of 1e30 squares past float32's range: usearch answers Infinity for that slot.
    const { table, queries } = tableOf(1_000, { hugeEvery: 2 });
    const sample = probeSampleOf(table, "euclidean", 1_000, 100);
    const query = queries.vector(0);
    const score = slotScorer(table, "euclidean", query, norm(query));
    const best = Math.max(...Array.from(sample.slots, score));
    expect(sampleBeats(sample, query, best - 1e-6, () => true, score)).toBe(true);
    expect(sampleBeats(sample, query, best, () => true, score)).toBe(false);
    expect(sampleBeats(sample, query, 0, (slot) => slot % 2 === 0, score)).toBe(true);
  });
});
