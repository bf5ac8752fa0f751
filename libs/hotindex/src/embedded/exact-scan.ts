import type { Metric } from "../port.js";
import { cosineFrom, euclideanScore } from "../scoring.js";
import type { TopK } from "./top-k.js";

/**
 * What a scan reads: float32 vectors in chunks with their norms. The hot index's `VectorTable` is
 * one; the warm index's decoded segments are another (one chunk per segment).
 */
export interface ScanTable {
  readonly dimensions: number;
  chunkOf(slot: number): Float32Array;
  offsetOf(slot: number): number;
  normOf(slot: number): number;
}

/** Scores one slot against a query: the exact score of `scoring.ts`, from the float32 copy. */
export type SlotScorer = (slot: number) => number;

export function slotScorer(
  table: ScanTable,
  metric: Metric,
  query: Float32Array,
  queryNorm: number,
): SlotScorer {
  const dims = table.dimensions;
  switch (metric) {
    case "dot":
      return (slot) => dot(table.chunkOf(slot), table.offsetOf(slot), query, dims);
    case "cosine":
      return (slot) =>
        cosineFrom(
          dot(table.chunkOf(slot), table.offsetOf(slot), query, dims),
          queryNorm,
          table.normOf(slot),
        );
    case "euclidean":
      return (slot) => {
        const data = table.chunkOf(slot);
        const base = table.offsetOf(slot);
        let s = 0;
        for (let i = 0; i < dims; i++) {
          const d = (data[base + i] as number) - (query[i] as number);
          s += d * d;
        }
        return euclideanScore(Math.sqrt(s));
      };
  }
}

function dot(data: Float32Array, base: number, query: Float32Array, dims: number): number {
  // Four accumulators let V8 pipeline the multiply-adds; the casts skip `undefined` checks that
  // noUncheckedIndexedAccess would otherwise force into the hottest loop of the index.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dims; i += 4) {
    s0 += (data[base + i] as number) * (query[i] as number);
    s1 += (data[base + i + 1] as number) * (query[i + 1] as number);
    s2 += (data[base + i + 2] as number) * (query[i + 2] as number);
    s3 += (data[base + i + 3] as number) * (query[i + 3] as number);
  }
  for (; i < dims; i++) s0 += (data[base + i] as number) * (query[i] as number);
  return s0 + s1 + s2 + s3;
}

/** Scores every slot in `slots` (or in [from, to)) that `accept` lets through into `top`. */
export function scanSlots(
  slots: Iterable<number>,
  accept: (slot: number) => boolean,
  score: SlotScorer,
  top: TopK,
): void {
  for (const slot of slots) if (accept(slot)) top.push(score(slot), slot);
}

export function scanRange(
  from: number,
  to: number,
  accept: (slot: number) => boolean,
  score: SlotScorer,
  top: TopK,
): void {
  for (let slot = from; slot < to; slot++) if (accept(slot)) top.push(score(slot), slot);
}
