import { exactSearch } from "usearch";
import type { Metric } from "../port.js";
import type { SlotScorer } from "./exact-scan.js";
import { metricKind, ORDER_MARGIN } from "./native-scan.js";
import { type QuantizedRows, quantizeRows, rankQuantized } from "./quantized-rows.js";
import type { VectorTable } from "./vector-table.js";

/**
 * The evenly spread graph nodes that every graph answer is checked against (`graphMissed` in
 * space-search.ts), copied once per graph size into one contiguous matrix, so that usearch ranks
 * them for a query in one native call. Scoring the sample with the JS loop took about 1.3 ms per
 * query at 30,000 × 384, most of an unfiltered query's time (profile of 2026-12-05); ranking float32
 * rows natively still took 0.17 ms in the platform, so cosine and dot samples are kept as int8
 * (a quarter of the bytes, quantized-rows.ts), ranked with a proven error bound. A slot's vector
 * never changes (slots are never reused), so a sample stays right until the graph grows; the table
 * is the key, so a rebuilt space gets its own.
 */
export interface ProbeSample {
  readonly indexedUpTo: number;
  readonly metric: Metric;
  readonly slots: Int32Array;
  /** Euclidean: row i is the vector of `slots[i]`, its own buffer from byte 0 (see native-scan.ts). */
  readonly floats?: Float32Array;
  /** Cosine (unit rows) and dot. */
  readonly quantized?: QuantizedRows;
}

const samples = new WeakMap<VectorTable, ProbeSample>();

/** Slots ranked by the first native call; all of them only when those settle nothing. */
const FIRST_RANKED = 32;

/** Every `step`-th slot below `indexedUpTo`, `step` chosen to give at least `size` of them. */
export function probeSampleOf(
  table: VectorTable,
  metric: Metric,
  indexedUpTo: number,
  size: number,
): ProbeSample {
  const cached = samples.get(table);
  if (cached?.indexedUpTo === indexedUpTo && cached.metric === metric) return cached;
  const step = Math.max(1, Math.floor(indexedUpTo / size));
  const count = Math.ceil(indexedUpTo / step);
  const dims = table.dimensions;
  const slots = new Int32Array(count);
  const floats = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    slots[i] = i * step;
    floats.set(table.vector(i * step), i * dims);
  }
  const sample: ProbeSample =
    metric === "euclidean"
      ? { indexedUpTo, metric, slots, floats }
      : { indexedUpTo, metric, slots, quantized: quantizeRows(floats, dims, metric === "cosine") };
  samples.set(table, sample);
  return sample;
}

/**
 * Whether a slot of the sample that `eligible` lets through scores above `floor`. The sample is
 * ranked natively, then walked in that order with exact scores until a slot qualifies or the
 * ranking shows that none after it can: for int8 rows, once the bound of the quantized value is
 * below the floor; for float32 rows, once a slot scores clearly below it (usearch's distances and
 * `score` differ by rounding, far less than ORDER_MARGIN). The same answer as scoring every slot of
 * the sample (probe-sample.test.ts), in a few exact scores.
 */
export function sampleBeats(
  sample: ProbeSample,
  query: Float32Array,
  floor: number,
  eligible: (slot: number) => boolean,
  score: SlotScorer,
): boolean {
  const margin = ORDER_MARGIN * Math.max(1, Math.abs(floor));
  const count = sample.slots.length;
  for (const nearest of [Math.min(FIRST_RANKED, count), count]) {
    const ranked = rank(sample, query, nearest);
    if (ranked === undefined) break;
    for (let i = 0; i < ranked.rows.length; i++) {
      const slot = sample.slots[Number(ranked.rows[i])] as number;
      const exact = score(slot);
      if (exact > floor && eligible(slot)) return true;
      const bound = ranked.bounds === undefined ? exact : (ranked.bounds[i] as number);
      if (bound + margin < floor) return false;
    }
    // No ranked slot settled it: rank them all (or, if that was all, none qualifies).
    if (ranked.rows.length === count) return false;
  }
  return sample.slots.some((slot) => eligible(slot) && score(slot) > floor);
}

/**
 * The `nearest` rows first to last, with, for int8 rows, an upper bound of the value of each row
 * and every row after it; undefined when the ranking cannot be trusted (a float32 distance that
 * overflowed, a query that cannot be quantized), for the caller to score the sample itself.
 */
function rank(
  sample: ProbeSample,
  query: Float32Array,
  nearest: number,
): { readonly rows: BigUint64Array; readonly bounds?: Float64Array } | undefined {
  if (nearest === 0) return { rows: new BigUint64Array(0) };
  if (sample.quantized !== undefined) return rankQuantized(sample.quantized, query, nearest);
  // usearch reads the query from the start of its buffer: a view into a table chunk is copied.
  const unshifted = query.byteOffset === 0 ? query : query.slice();
  const floats = sample.floats ?? new Float32Array(0);
  const { keys, distances } = exactSearch(
    floats,
    unshifted,
    query.length,
    nearest,
    metricKind(sample.metric),
    1,
  ) as {
    keys: BigUint64Array;
    distances: Float32Array;
  };
  for (const distance of distances) if (!Number.isFinite(distance)) return undefined;
  return { rows: keys };
}
