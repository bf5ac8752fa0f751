import { exactSearch } from "usearch";
import type { Metric } from "../port.js";
import type { SlotScorer } from "./exact-scan.js";
import { metricKind, ORDER_MARGIN } from "./native-scan.js";
import { appendQuantized, type QuantizedRows, quantizeRows, rankQuantized } from "./quantized-rows.js";
import type { VectorTable } from "./vector-table.js";

/**
 * The evenly spread graph nodes that every graph answer is checked against (`graphMissed` in
 * space-search.ts), copied into one contiguous matrix, so that usearch ranks them for a query in one
 * native call. Scoring the sample with the JS loop took about 1.3 ms per query at 30,000 × 384,
 * most of an unfiltered query's time (profile of 2026-12-05); ranking float32 rows natively still
 * took 0.17 ms in the platform, so cosine and dot samples are kept as int8 (a quarter of the bytes,
 * quantized-rows.ts), ranked with a proven error bound. A slot's vector never changes (slots are
 * never reused), so a sample stays right as the graph grows: the rows of the slots it gains are
 * appended (see `probeSampleOf`); the table is the key, so a rebuilt space gets its own.
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

/** A sample and the step it was taken with; its arrays are views of buffers with room to grow. */
interface CachedSample {
  readonly step: number;
  readonly sample: ProbeSample;
}

const samples = new WeakMap<VectorTable, CachedSample>();

/** Slots ranked by the first native call; all of them only when those settle nothing. */
const FIRST_RANKED = 32;

/**
 * Every `step`-th slot below `indexedUpTo`, `step` chosen to give at least `size` of them. While the
 * step stays the same (until the graph has grown by `size` slots) the sample grows in place: only
 * the slots it gains are copied and quantized, at the scale it has. Building it anew took 15–20 ms
 * per call at 30,000 × 384, and during an ingest the graph grows between most queries.
 */
export function probeSampleOf(
  table: VectorTable,
  metric: Metric,
  indexedUpTo: number,
  size: number,
): ProbeSample {
  const step = Math.max(1, Math.floor(indexedUpTo / size));
  const count = Math.ceil(indexedUpTo / step);
  const cached = samples.get(table);
  if (cached?.sample.indexedUpTo === indexedUpTo && cached.sample.metric === metric) return cached.sample;
  const grown =
    cached !== undefined && cached.step === step && cached.sample.metric === metric
      ? grow(cached.sample, table, step, count, indexedUpTo)
      : undefined;
  // Room for every row this step can have: the step grows once indexedUpTo reaches (step + 1) × size.
  const sample =
    grown ?? build(table, metric, step, count, indexedUpTo, Math.ceil(((step + 1) * size) / step));
  samples.set(table, { step, sample });
  return sample;
}

function build(
  table: VectorTable,
  metric: Metric,
  step: number,
  count: number,
  indexedUpTo: number,
  capacity: number,
): ProbeSample {
  const dims = table.dimensions;
  const slots = new Int32Array(Math.max(capacity, count));
  for (let i = 0; i < count; i++) slots[i] = i * step;
  const rowOf = (i: number) => table.vector(i * step);
  if (metric !== "euclidean") {
    const quantized = quantizeRows(rowOf, count, dims, metric === "cosine", slots.length);
    return { indexedUpTo, metric, slots: slots.subarray(0, count), quantized };
  }
  const floats = new Float32Array(slots.length * dims);
  for (let i = 0; i < count; i++) floats.set(rowOf(i), i * dims);
  return { indexedUpTo, metric, slots: slots.subarray(0, count), floats: floats.subarray(0, count * dims) };
}

/** `sample` with the rows of the slots below `indexedUpTo` it lacks; undefined when it must be built anew. */
function grow(
  sample: ProbeSample,
  table: VectorTable,
  step: number,
  count: number,
  indexedUpTo: number,
): ProbeSample | undefined {
  const from = sample.slots.length;
  const slots = new Int32Array(sample.slots.buffer);
  if (count < from || slots.length < count) return undefined;
  const dims = table.dimensions;
  const rowOf = (i: number) => table.vector(i * step);
  let rows: Pick<ProbeSample, "floats" | "quantized">;
  if (sample.quantized !== undefined) {
    const quantized = appendQuantized(sample.quantized, rowOf, from, count);
    if (quantized === undefined) return undefined;
    rows = { quantized };
  } else {
    const floats = new Float32Array((sample.floats ?? new Float32Array(0)).buffer);
    if (floats.length < count * dims) return undefined;
    for (let i = from; i < count; i++) floats.set(rowOf(i), i * dims);
    rows = { floats: floats.subarray(0, count * dims) };
  }
  for (let i = from; i < count; i++) slots[i] = i * step;
  return { indexedUpTo, metric: sample.metric, slots: slots.subarray(0, count), ...rows };
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
