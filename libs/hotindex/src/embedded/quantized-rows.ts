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

/**
 * Rows `0 … count − 1` (each read with `rowOf`) quantized with one scale, their maximum. The buffer
 * holds `capacity` rows, so that `appendQuantized` can add rows later without copying these.
 */
export function quantizeRows(
  rowOf: (row: number) => Float32Array,
  count: number,
  dims: number,
  unit: boolean,
  capacity = count,
): QuantizedRows {
  const factors = new Float64Array(count);
  let maxAbs = 0;
  for (let row = 0; row < count; row++) {
    const vector = rowOf(row);
    const factor = unitFactor(vector, dims, unit);
    factors[row] = factor;
    maxAbs = Math.max(maxAbs, largest(vector, dims) * factor);
  }
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  const buffer = new Int8Array(Math.max(capacity, count) * dims);
  let l1Max = 0;
  for (let row = 0; row < count; row++) {
    l1Max = Math.max(l1Max, quantizeRow(rowOf(row), factors[row] as number, scale, buffer, row * dims));
  }
  return { rows: buffer.subarray(0, count * dims), dims, unit, scale, l1Max };
}

/**
 * `quantized` with rows `from … to − 1` added in its buffer's spare room, at its scale. Undefined
 * when there is no room or a value of a new row is beyond the scale's range: then quantize again.
 * The rows it has keep their values, so the bound of `rankQuantized` holds for all of them.
 */
export function appendQuantized(
  quantized: QuantizedRows,
  rowOf: (row: number) => Float32Array,
  from: number,
  to: number,
): QuantizedRows | undefined {
  const { dims, unit, scale } = quantized;
  if (from * dims !== quantized.rows.length) return undefined;
  const buffer = new Int8Array(quantized.rows.buffer);
  if (buffer.length < to * dims) return undefined;
  let l1Max = quantized.l1Max;
  for (let row = from; row < to; row++) {
    const vector = rowOf(row);
    const factor = unitFactor(vector, dims, unit);
    // Written past the rows a caller holds: nothing it reads changes, even when this gives up.
    if (!((largest(vector, dims) * factor) / scale <= 127)) return undefined;
    l1Max = Math.max(l1Max, quantizeRow(vector, factor, scale, buffer, row * dims));
  }
  return { rows: buffer.subarray(0, to * dims), dims, unit, scale, l1Max };
}

/** 1 / ‖v‖ for unit rows (0 for a zero vector), else 1. */
function unitFactor(vector: Float32Array, dims: number, unit: boolean): number {
  if (!unit) return 1;
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const value = vector[i] as number;
    norm += value * value;
  }
  return norm > 0 ? 1 / Math.sqrt(norm) : 0;
}

function largest(vector: Float32Array, dims: number): number {
  let max = 0;
  for (let i = 0; i < dims; i++) max = Math.max(max, Math.abs(vector[i] as number));
  return max;
}

/** Writes round(v·factor / scale) at `offset`; answers the row's ‖v·factor‖₁. */
function quantizeRow(
  vector: Float32Array,
  factor: number,
  scale: number,
  into: Int8Array,
  offset: number,
): number {
  let l1 = 0;
  for (let i = 0; i < vector.length; i++) {
    const value = (vector[i] as number) * factor;
    into[offset + i] = Math.round(value / scale);
    l1 += Math.abs(value);
  }
  return l1;
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
  let rawMax = 0;
  for (let i = 0; i < dims; i++) {
    const value = query[i] as number;
    norm += value * value;
    rawMax = Math.max(rawMax, Math.abs(value));
  }
  const factor = !quantized.unit ? 1 : norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const maxAbs = rawMax * factor;
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return undefined;
  const queryScale = maxAbs / 127;
  // q̃_i = round(q_i · factor / s_q), with the two factors folded into one.
  const toSteps = factor / queryScale;
  const q = new Int8Array(dims);
  let l1 = 0;
  for (let i = 0; i < dims; i++) {
    const step = Math.round((query[i] as number) * toSteps);
    q[i] = step;
    l1 += Math.abs(step);
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
