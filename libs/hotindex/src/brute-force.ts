import { exactScore } from "./scoring.js";

/**
 * Exact cosine top-k over row-major float32 vectors: the benchmarks' ground truth for recall and
 * their "brute force, for scale" timing (a tight plain-JS loop, norms computed once up front).
 */
export class BruteForceCosine {
  private readonly norms: Float64Array;

  constructor(
    private readonly data: Float32Array,
    private readonly dimensions: number,
  ) {
    const rows = data.length / dimensions;
    this.norms = Float64Array.from({ length: rows }, (_, i) => {
      const row = data.subarray(i * dimensions, (i + 1) * dimensions);
      return Math.sqrt(exactScore("dot", row, row));
    });
  }

  /** Row indexes of the `k` rows nearest to `query`, best first; `accept` leaves rows out. */
  topK(query: Float32Array, k: number, accept?: (row: number) => boolean): number[] {
    const queryNorm = Math.sqrt(exactScore("dot", query, query));
    const { data, dimensions: dims, norms } = this;
    const top: { score: number; row: number }[] = [];
    for (let row = 0; row < norms.length; row++) {
      if (accept && !accept(row)) continue;
      let dot = 0;
      const base = row * dims;
      for (let d = 0; d < dims; d++) dot += (data[base + d] as number) * (query[d] as number);
      const score = dot / (queryNorm * (norms[row] as number));
      if (top.length < k || score > (top[top.length - 1]?.score ?? 0)) {
        top.push({ score, row });
        top.sort((a, b) => b.score - a.score);
        if (top.length > k) top.pop();
      }
    }
    return top.map((t) => t.row);
  }
}
