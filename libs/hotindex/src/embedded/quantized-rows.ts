import { exactSearch, MetricKind } from "usearch";

/**
 * Vectors as int8 with one scale for all rows, for a native inner-product ranking that reads a
 * quarter of the float32 bytes (the probe sample, probe-sample.ts). With `unit`, each row is first
 * divided by its norm, so the inner product ranks by cosine.
 */
export interface QuantizedRows {
  readonly rows: Int8Array;
  readonly dims: number;
  readonly unit: boolean;
  /** A row's value i is `rows[i] × scale`, within scale / 2 of the (unit) float. */
  readonly scale: number;
  /** The largest sum of absolute (unit) values of a row: what bounds the ranking's error. */
  readonly l1Max: number;
}

export function quantizeRows(floats: Float32Array, dims: number, unit: boolean): QuantizedRows {
  const values = new Float64Array(floats.length);
  let maxAbs = 0;
  for (let row = 0; row < floats.length; row += dims) {
    let norm = 0;
    for (let i = row; i < row + dims; i++) norm += (floats[i] as number) ** 2;
    const factor = !unit ? 1 : norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = row; i < row + dims; i++) {
      values[i] = (floats[i] as number) * factor;
      maxAbs = Math.max(maxAbs, Math.abs(values[i] as number));
    }
  }
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  const rows = new Int8Array(floats.length);
  let l1Max = 0;
  for (let row = 0; row < floats.length; row += dims) {
    let l1 = 0;
    for (let i = row; i < row + dims; i++) {
      rows[i] = Math.round((values[i] as number) / scale);
      l1 += Math.abs(values[i] as number);
    }
    l1Max = Math.max(l1Max, l1);
  }
  return { rows, dims, unit, scale, l1Max };
}

/**
 * The `nearest` rows with the largest quantized inner product with `query` (divided by its norm
 * when the rows are unit), first to last, each with an upper bound of the true inner product (or
 * cosine) of that row and of every row after it. Undefined for a query that cannot be quantized (all
 * zeros, or not finite).
 *
 * The bound: with q̃ = round(q / s_q) and x̃ = round(x / s), q·x − s_q·s·(q̃·x̃) =
 * Σ (q_i − s_q·q̃_i)·x_i + s_q·q̃_i·(x_i − s·x̃_i), at most s_q/2·‖x‖₁ + s/2·s_q·‖q̃‖₁ in size.
 * usearch's int8 inner-product distance is 1 − q̃·x̃, exact in float32 at these magnitudes.
 */
export function rankQuantized(
  quantized: QuantizedRows,
  query: Float32Array,
  nearest: number,
): { readonly rows: BigUint64Array; readonly bounds: Float64Array } | undefined {
  const { dims } = quantized;
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += (query[i] as number) ** 2;
  const factor = !quantized.unit ? 1 : norm > 0 ? 1 / Math.sqrt(norm) : 0;
  let maxAbs = 0;
  for (let i = 0; i < dims; i++) maxAbs = Math.max(maxAbs, Math.abs((query[i] as number) * factor));
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return undefined;
  const queryScale = maxAbs / 127;
  const q = new Int8Array(dims);
  let l1 = 0;
  for (let i = 0; i < dims; i++) {
    q[i] = Math.round(((query[i] as number) * factor) / queryScale);
    l1 += Math.abs(q[i] as number);
  }
  const error = (queryScale / 2) * quantized.l1Max + (quantized.scale / 2) * queryScale * l1;
  const { keys, distances } = exactSearch(quantized.rows, q, dims, nearest, MetricKind.IP, 1) as {
    keys: BigUint64Array;
    distances: Float32Array;
  };
  const bounds = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    bounds[i] = queryScale * quantized.scale * (1 - (distances[i] as number)) + error;
  }
  return { rows: keys, bounds };
}
