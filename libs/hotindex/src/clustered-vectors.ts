/**
 * Deterministic clustered test vectors: gaussian blobs around random centres, like real embeddings
 * (uniform random vectors have no neighbourhood structure, so HNSW recall on them means nothing).
 * Used by the contract suite and the benchmark; the same seed always gives the same data.
 */
export interface ClusteredVectorsOptions {
  readonly count: number;
  readonly dimensions: number;
  readonly clusters: number;
  readonly seed?: number;
  /** Standard deviation of each component around its cluster centre (centres are unit-scale). */
  readonly spread?: number;
}

export interface ClusteredVectors {
  /** `count × dimensions` floats, row-major. */
  readonly data: Float32Array;
  /** Cluster index of each vector. */
  readonly cluster: Uint16Array;
  vector(i: number): Float32Array;
  /** New points around the same centres (different noise): realistic queries, not copies of data. */
  queries(
    count: number,
    seed: number,
  ): { data: Float32Array; cluster: Uint16Array; vector(i: number): Float32Array };
}

export function clusteredVectors(options: ClusteredVectorsOptions): ClusteredVectors {
  const { count, dimensions, clusters } = options;
  const random = gaussianSource(options.seed ?? 1);
  // Centres are unit-scale; each point is its centre plus gaussian noise of norm ≈ 4 × spread.
  const spread = options.spread ?? 0.05;
  const scale = 1 / Math.sqrt(dimensions);
  const centres = new Float32Array(clusters * dimensions);
  for (let i = 0; i < centres.length; i++) centres[i] = random() * scale;
  const sample = (n: number, pointSeed: number) => {
    const noise = gaussianSource(pointSeed);
    const uniform = mulberry32(pointSeed ^ 0x9e3779b9);
    const data = new Float32Array(n * dimensions);
    const cluster = new Uint16Array(n);
    for (let v = 0; v < n; v++) {
      const c = Math.floor(uniform() * clusters);
      cluster[v] = c;
      for (let d = 0; d < dimensions; d++) {
        data[v * dimensions + d] = (centres[c * dimensions + d] ?? 0) + noise() * spread * scale * 4;
      }
    }
    return { data, cluster, vector: (i: number) => data.subarray(i * dimensions, (i + 1) * dimensions) };
  };
  const points = sample(count, (options.seed ?? 1) + 1);
  return {
    ...points,
    queries: (n, seed) => sample(n, seed === (options.seed ?? 1) + 1 ? seed + 1 : seed),
  };
}

/** A small fast seeded PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box-Muller) from a seeded uniform source. */
export function gaussianSource(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
