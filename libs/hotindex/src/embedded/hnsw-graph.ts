import { Index, MetricKind, ScalarKind } from "usearch";
import type { Metric } from "../port.js";

/** Graph settings; see README for how they were chosen. */
export interface GraphOptions {
  /** Neighbours per node (M). */
  readonly connectivity: number;
  /** Candidate list size while inserting (efConstruction). */
  readonly expansionAdd: number;
  /** Candidate list size while searching (efSearch); a larger `count` widens it per query. */
  readonly expansionSearch: number;
}

export const DEFAULT_GRAPH_OPTIONS: GraphOptions = {
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 160,
};

/**
 * The HNSW graph of a space (usearch). It stores vectors in half precision — half the memory of
 * float32, and recall after exact re-scoring stays ≥ 0.99 (README) — so its distances are only used
 * to pick candidates; every score returned to a caller is recomputed from the float32 copy.
 * Keys are the vector table's slots.
 *
 * Nothing is ever removed from a graph: with usearch 2.25's Node binding, a graph saved after a
 * `remove` and loaded again reserves room for its live entries only, and the next `add` overran the
 * heap ("corrupted double-linked list", SIGSEGV; reproduced here). Dead slots stay in the graph,
 * are filtered out of results, and the space rebuilds the graph in the background once too many
 * are dead.
 */
export class HnswGraph {
  private constructor(private readonly index: Index) {}

  static create(dimensions: number, metric: Metric, options: GraphOptions): HnswGraph {
    return new HnswGraph(
      new Index({
        dimensions,
        metric: toMetricKind(metric),
        quantization: ScalarKind.F16,
        connectivity: options.connectivity,
        expansion_add: options.expansionAdd,
        expansion_search: options.expansionSearch,
        multi: false,
      }),
    );
  }

  /** Loads a graph saved by `save` (the settings come from the file). */
  static load(path: string, dimensions: number, metric: Metric, options: GraphOptions): HnswGraph {
    const graph = HnswGraph.create(dimensions, metric, options);
    graph.index.load(path);
    return graph;
  }

  get size(): number {
    return this.index.size();
  }

  /** Adds vectors (row-major, contiguous) under these slots, using `threads` native threads. */
  add(slots: readonly number[], vectors: Float32Array, threads: number): void {
    if (slots.length === 0) return;
    this.index.add(BigUint64Array.from(slots, BigInt), vectors, threads);
  }

  /** Up to `count` candidate slots nearest to `query`, best first (approximate distances). */
  search(query: Float32Array, count: number): number[] {
    if (this.index.size() === 0) return [];
    const matches = this.index.search(query, count, 1);
    return Array.from(matches.keys, Number);
  }

  save(path: string): void {
    this.index.save(path);
  }
}

function toMetricKind(metric: Metric): MetricKind {
  switch (metric) {
    case "cosine":
      return MetricKind.Cos;
    case "dot":
      return MetricKind.IP;
    case "euclidean":
      return MetricKind.L2sq;
  }
}
