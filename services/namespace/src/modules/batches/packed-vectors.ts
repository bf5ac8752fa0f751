import type { VectorValues } from "../documents/api.js";

/**
 * A vector as base64 of its float32 little-endian bytes: how batch items keep their vectors until
 * their chunk runs. float32 is what the vector stores keep anyway; a value beyond its range packs as
 * ±Infinity and is refused as not finite when the item is checked, like NaN.
 */
export function packFloat32(values: VectorValues): string {
  const floats = values instanceof Float32Array ? values : Float32Array.from(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

export function unpackFloat32(packed: string): Float32Array {
  const bytes = Buffer.from(packed, "base64");
  // A copy into a fresh, aligned buffer: Float32Array needs an offset that is a multiple of 4.
  const floats = new Float32Array(bytes.byteLength >> 2);
  new Uint8Array(floats.buffer).set(bytes.subarray(0, floats.byteLength));
  return floats;
}

/**
 * float32 little-endian bytes as a vector. A length that is not a multiple of 4 cannot be one: it
 * reads as NaN, which the item's check refuses as not finite.
 */
export function floatsFromBytes(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) return Float32Array.of(Number.NaN);
  const floats = new Float32Array(bytes.byteLength >> 2);
  new Uint8Array(floats.buffer).set(bytes);
  return floats;
}
