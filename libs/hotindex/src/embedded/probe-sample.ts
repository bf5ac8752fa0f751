import { exactSearch } from "usearch";
import type { Metric } from "../port.js";
import type { SlotScorer } from "./exact-scan.js";
import { metricKind, ORDER_MARGIN } from "./native-scan.js";
import type { VectorTable } from "./vector-table.js";

/**
 * The evenly spread graph nodes that every graph answer is checked against (`graphMissed` in
 * space-search.ts), copied once per graph size into one contiguous matrix, so that usearch's SIMD
 * exact search ranks them all for a query in one native call. Scoring the sample with the JS loop
 * took about 1.3 ms per query at 30,000 × 384, most of an unfiltered query's time (profile of
 * 2026-12-05). A slot's vector never changes (slots are never reused), so a sample stays right until
 * the graph grows; the table is the key, so a rebuilt space gets its own.
 */
export interface ProbeSample {
  readonly indexedUpTo: number;
  readonly slots: Int32Array;
  /** Row i is the vector of `slots[i]`; its own buffer, from byte 0 (see native-scan.ts). */
  readonly matrix: Float32Array;
}

const samples = new WeakMap<VectorTable, ProbeSample>();

/** Slots ranked by the first native call: 0.12 ms against 0.2 ms for all 1,024 at 384 dimensions, cache cold. */
const FIRST_RANKED = 32;

/** Every `step`-th slot below `indexedUpTo`, `step` chosen to give at least `size` of them. */
export function probeSampleOf(table: VectorTable, indexedUpTo: number, size: number): ProbeSample {
  const cached = samples.get(table);
  if (cached?.indexedUpTo === indexedUpTo) return cached;
  const step = Math.max(1, Math.floor(indexedUpTo / size));
  const count = Math.ceil(indexedUpTo / step);
  const dims = table.dimensions;
  const slots = new Int32Array(count);
  const matrix = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    slots[i] = i * step;
    matrix.set(table.vector(i * step), i * dims);
  }
  const sample = { indexedUpTo, slots, matrix };
  samples.set(table, sample);
  return sample;
}

/**
 * The `nearest` slots of the sample, nearest to `query` first by usearch's float32 distances;
 * undefined when a distance is not finite (a float32 overflow), for the caller to score them itself.
 */
function rankSample(
  sample: ProbeSample,
  metric: Metric,
  query: Float32Array,
  nearest: number,
): Int32Array | undefined {
  const count = Math.min(nearest, sample.slots.length);
  if (count === 0) return new Int32Array(0);
  const dims = query.length;
  // usearch reads the query from the start of its buffer: a view into a table chunk is copied.
  const unshifted = query.byteOffset === 0 ? query : query.slice();
  const { keys, distances } = exactSearch(sample.matrix, unshifted, dims, count, metricKind(metric), 1) as {
    keys: BigUint64Array;
    distances: Float32Array;
  };
  const ranked = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    if (!Number.isFinite(distances[i] as number)) return undefined;
    ranked[i] = sample.slots[Number(keys[i])] as number;
  }
  return ranked;
}

/**
 * Whether a slot of the sample that `eligible` lets through scores above `floor`: the sample ranked
 * natively, then walked nearest first with exact scores. Once a slot scores clearly below the floor
 * every later one does too: usearch's distances and `score` differ by rounding, far less than
 * ORDER_MARGIN. The same answer as scoring every slot of the sample, in a few exact scores.
 */
export function sampleBeats(
  sample: ProbeSample,
  metric: Metric,
  query: Float32Array,
  floor: number,
  eligible: (slot: number) => boolean,
  score: SlotScorer,
): boolean {
  const below = floor - ORDER_MARGIN * Math.max(1, Math.abs(floor));
  // The walk usually ends within a few slots; asking for fewer saves usearch most of its sorting.
  for (const nearest of [FIRST_RANKED, sample.slots.length]) {
    const ranked = rankSample(sample, metric, query, nearest);
    if (ranked === undefined) break;
    for (const slot of ranked) {
      const exact = score(slot);
      if (exact < below) return false;
      if (exact > floor && eligible(slot)) return true;
    }
    // No ranked slot was clearly below the floor, and none that beat it was eligible: rank them all.
    if (ranked.length === sample.slots.length) return false;
  }
  return sample.slots.some((slot) => eligible(slot) && score(slot) > floor);
}
