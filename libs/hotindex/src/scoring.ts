import type { Metric } from "./port.js";

/**
 * The score of two vectors, "higher is better" for every metric (see `Hit.score`). Every adapter and
 * tier reports exactly this value (up to float rounding), so their hits can be merged by score.
 * Computed in float64 over float32 inputs.
 */
export function exactScore(metric: Metric, a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  let sq = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
    const d = x - y;
    sq += d * d;
  }
  switch (metric) {
    case "dot":
      return dot;
    case "cosine":
      return cosineFrom(dot, Math.sqrt(aa), Math.sqrt(bb));
    case "euclidean":
      return euclideanScore(Math.sqrt(sq));
  }
}

export function cosineFrom(dot: number, normA: number, normB: number): number {
  const denominator = normA * normB;
  return denominator === 0 ? 0 : dot / denominator;
}

/** Maps a euclidean distance to a similarity in (0, 1]: 1 for identical vectors. */
export function euclideanScore(distance: number): number {
  return 1 / (1 + distance);
}

/** The distance whose score is `score` (to turn a score threshold into a distance bound). */
export function euclideanDistanceForScore(score: number): number {
  return score <= 0 ? Number.POSITIVE_INFINITY : 1 / score - 1;
}

export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] ?? 0;
    s += x * x;
  }
  return Math.sqrt(s);
}
