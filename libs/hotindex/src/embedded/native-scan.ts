import { exactSearch, MetricKind } from "usearch";
import type { Metric } from "../port.js";
import { type SlotScorer, scanRange } from "./exact-scan.js";
import type { TopK } from "./top-k.js";
import { CHUNK_SHIFT, CHUNK_SIZE, type VectorTable } from "./vector-table.js";

/** Below this many slots in a chunk's part of the range the JS loop is as quick as a native call. */
const NATIVE_MIN_SLOTS = 512;
/**
 * How far apart two native distances must be to trust their order: usearch and `scoring.ts` round
 * differently (float32 SIMD sums against float64 sums), by far less than this.
 */
export const ORDER_MARGIN = 1e-4;

/**
 * `scanRange` over slots [from, to) when every live slot is wanted (no filter, no collection
 * restriction), with usearch's SIMD exact search finding the candidates: about five times the JS
 * loop's speed at 384 dimensions here (70,000 vectors: 5.5–9 ms against 28–36 ms). It is what a
 * query pays for the vectors the graph does not hold yet.
 *
 * Scores stay exactly those of the JS scorer: the native search only picks candidates, which `score`
 * then scores. Per chunk it asks for 2k + 16 candidates; they are trusted when at least k of them
 * are accepted (alive) and rank clearly before the last candidate (`ORDER_MARGIN`), so nothing left
 * out could have entered the top k. Otherwise — many dead slots, ties at the edge, a NaN — that
 * chunk is scanned by the JS loop instead, so the answer is never worse than `scanRange`'s.
 * Answers how many slots the native search covered (the rest went through the JS loop).
 */
export function scanAllInRange(
  table: VectorTable,
  metric: Metric,
  query: Float32Array,
  range: { readonly from: number; readonly to: number },
  accept: (slot: number) => boolean,
  score: SlotScorer,
  top: TopK,
): { readonly nativeSlots: number } {
  const want = top.k * 2 + 16;
  let nativeSlots = 0;
  // The query too must start its buffer (see below): a view into a table chunk is copied.
  const unshifted = query.byteOffset === 0 ? query : query.slice();
  for (let from = range.from; from < range.to; ) {
    // One chunk's part of the range: a contiguous run of float32s.
    const to = Math.min(range.to, ((from >>> CHUNK_SHIFT) + 1) * CHUNK_SIZE);
    // usearch 2.25.3's exactSearch reads a typed array from the start of its buffer, whatever its
    // byteOffset (Index.add and Index.search do not; native-scan.test.ts shows it): only a chunk's
    // part that starts at the chunk's first slot is passed natively; the rest of a chunk the range
    // starts inside is scanned in JS.
    const atChunkStart = (from & (CHUNK_SIZE - 1)) === 0;
    const candidates =
      atChunkStart && to - from >= Math.max(NATIVE_MIN_SLOTS, want * 4)
        ? nativeCandidates(table, metric, unshifted, { from, to }, want, top.k, accept)
        : undefined;
    if (candidates === undefined) scanRange(from, to, accept, score, top);
    else {
      for (const slot of candidates) top.push(score(slot), slot);
      nativeSlots += to - from;
    }
    from = to;
  }
  return { nativeSlots };
}

/** The accepted slots among the `want` nearest of [from, to), or undefined when they are not enough. */
function nativeCandidates(
  table: VectorTable,
  metric: Metric,
  query: Float32Array,
  { from, to }: { readonly from: number; readonly to: number },
  want: number,
  k: number,
  accept: (slot: number) => boolean,
): number[] | undefined {
  const data = table.chunkOf(from).subarray(0, (to - from) * table.dimensions);
  if (data.byteOffset !== 0) return undefined;
  const { keys, distances } = exactSearch(data, query, table.dimensions, want, metricKind(metric), 1) as {
    keys: BigUint64Array;
    distances: Float32Array;
  };
  const last = distances[distances.length - 1];
  if (last === undefined || !Number.isFinite(last)) return undefined;
  const clearlyBefore = last - ORDER_MARGIN * Math.max(1, Math.abs(last));
  const accepted: number[] = [];
  let trusted = 0;
  for (let i = 0; i < keys.length; i++) {
    const distance = distances[i] as number;
    if (!Number.isFinite(distance)) return undefined;
    const slot = from + Number(keys[i]);
    if (!accept(slot)) continue;
    accepted.push(slot);
    if (distance < clearlyBefore) trusted++;
  }
  return trusted >= k ? accepted : undefined;
}

export function metricKind(metric: Metric): MetricKind {
  switch (metric) {
    case "cosine":
      return MetricKind.Cos;
    case "dot":
      return MetricKind.IP;
    case "euclidean":
      return MetricKind.L2sq;
  }
}
