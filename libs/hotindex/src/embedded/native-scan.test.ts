import { exactSearch, MetricKind } from "usearch";
import { describe, expect, it } from "vitest";
import { clusteredVectors } from "../clustered-vectors.js";
import type { Metric } from "../port.js";
import { norm } from "../scoring.js";
import { scanRange, slotScorer } from "./exact-scan.js";
import { scanAllInRange } from "./native-scan.js";
import { TopK } from "./top-k.js";
import { CHUNK_SIZE, VectorTable } from "./vector-table.js";

const DIMS = 24;

/** A table of clustered vectors over several chunks; `dead` of them removed again. */
function tableOf(count: number, options: { dead?: (i: number) => boolean; copiesOf?: number } = {}) {
  const vectors = clusteredVectors({ count, dimensions: DIMS, clusters: 12, seed: 3 });
  const table = new VectorTable(DIMS);
  for (let i = 0; i < count; i++) {
    // `copiesOf`: every vector the same as the first one, so every score ties.
    const v = vectors.vector(options.copiesOf === undefined ? i : options.copiesOf);
    table.append("c", `d${i}`, {}, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  for (let i = 0; i < count; i++) if (options.dead?.(i)) table.remove("c", `d${i}`);
  return { table, queries: vectors.queries(12, 9) };
}

function bothScans(table: VectorTable, metric: Metric, query: Float32Array, from: number, k: number) {
  const accept = (slot: number) => table.isAlive(slot);
  const score = slotScorer(table, metric, query, norm(query));
  const js = new TopK(k);
  scanRange(from, table.slotCount, accept, score, js);
  const native = new TopK(k);
  const { nativeSlots } = scanAllInRange(
    table,
    metric,
    query,
    { from, to: table.slotCount },
    accept,
    score,
    native,
  );
  return { js: JSON.stringify(js.sorted()), native: JSON.stringify(native.sorted()), nativeSlots };
}

describe("scanAllInRange (usearch finds the candidates, the JS scorer scores them)", () => {
  const count = CHUNK_SIZE * 2 + 1_500;

  it("answers exactly what the JS scan answers, for every metric, from any first slot", () => {
    const { table, queries } = tableOf(count, { dead: (i) => i % 7 === 0 });
    for (const metric of ["cosine", "dot", "euclidean"] as const)
      for (let q = 0; q < 12; q++)
        for (const from of [0, 1_000, CHUNK_SIZE - 3, count - 600]) {
          const { js, native, nativeSlots } = bothScans(table, metric, queries.vector(q), from, 10);
          expect(native, `${metric}, query ${q}, from ${from}`).toEqual(js);
          // The whole chunks of the range went through usearch (the rest of the first one in JS).
          const wholeChunks = Math.floor((count - from) / CHUNK_SIZE) * CHUNK_SIZE;
          expect(nativeSlots).toBeGreaterThanOrEqual(from === 0 ? CHUNK_SIZE * 2 : wholeChunks - CHUNK_SIZE);
        }
  });

  it("falls back to the JS scan where most candidates are dead, and where every score ties", () => {
    const mostlyDead = tableOf(count, { dead: (i) => i % 50 !== 0 });
    const tied = tableOf(count, { copiesOf: 0 });
    for (const { table, queries } of [mostlyDead, tied])
      for (let q = 0; q < 4; q++) {
        const { js, native, nativeSlots } = bothScans(table, "cosine", queries.vector(q), 0, 10);
        expect(native).toEqual(js);
        expect(JSON.parse(native)).toHaveLength(10);
        expect(nativeSlots).toBe(0);
      }
  });
});

describe("usearch 2.25.3's exactSearch", () => {
  // Why scanAllInRange passes only views that start their buffer. When this fails, usearch reads
  // views correctly: the first partial chunk and the query copy in native-scan.ts can go.
  it("reads a typed array from the start of its buffer, ignoring the view's byteOffset", () => {
    const data = new Float32Array(1_000 * 4).map((_, i) => Math.sin(i));
    const query = data.slice(500 * 4, 501 * 4);
    const nearest = (view: Float32Array) =>
      Number(exactSearch(view, query, 4, 1, MetricKind.L2sq, 1).keys[0]);
    expect(nearest(data.subarray(400 * 4, 600 * 4).slice())).toBe(100);
    expect(nearest(data.subarray(400 * 4, 600 * 4))).not.toBe(100);
  });
});
