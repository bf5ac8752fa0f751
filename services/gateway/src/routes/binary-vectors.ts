import { MAX_DIMENSIONS } from "@strata/contracts";
import { z } from "zod";
import { MAX_FEATURES } from "./document-view.js";
import { numberVector } from "./number-vector.js";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A vector as base64 of its float32 little-endian bytes (issue 14): no per-number parse or check,
 * a third of the JSON text, and decoded once into the Float32Array that travels on to the service.
 * Refused (422) when it is not canonical base64, not a whole number of float32s, empty or longer
 * than MAX_DIMENSIONS, or holds NaN or ±Infinity.
 */
const base64Vector = z
  .strictObject({
    vector_b64: z
      .string()
      .min(1)
      .max(Math.ceil((MAX_DIMENSIONS * 4) / 3) * 4)
      .describe("base64 of the vector's float32 values, little-endian, 4 bytes each"),
  })
  .transform((value, context) => {
    const floats = decodeFloat32(value.vector_b64);
    if (typeof floats === "string") {
      context.addIssue({ code: "custom", message: floats, path: ["vector_b64"] });
      return z.NEVER;
    }
    return floats;
  });

/** A batch item's vectors: JSON numbers, or `{"vector_b64": "…"}`, per feature URI. */
export const batchFeatureVectorsSchema = z
  .record(z.string().min(1).max(512), z.union([numberVector, base64Vector]))
  .refine((v) => Object.keys(v).length <= MAX_FEATURES, {
    message: `At most ${MAX_FEATURES} feature vectors`,
  })
  .describe(
    'One vector per declared feature URI: an array of numbers, or {"vector_b64": base64 of float32 LE}',
  );

/** The vector, or why it is not one. */
export function decodeFloat32(text: string): Float32Array | string {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return "vector_b64 is not base64 (RFC 4648, padded)";
  // Allocated, not pooled: offset 0, so the Float32Array views these very bytes.
  const bytes = Buffer.alloc((text.length / 4) * 3 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0));
  bytes.write(text, "base64");
  if (bytes.byteLength % 4 !== 0)
    return `vector_b64 holds ${bytes.byteLength} bytes: not a whole number of float32s`;
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  if (floats.length === 0 || floats.length > MAX_DIMENSIONS)
    return `vector_b64 holds ${floats.length} values; a vector has 1 to ${MAX_DIMENSIONS}`;
  for (const x of floats) if (!Number.isFinite(x)) return "vector_b64 holds NaN or Infinity";
  return floats;
}

/** Bytes to send as a packed float32 vector: a view of the decoded vector, or the numbers packed. */
export function packedVector(values: Float32Array | readonly number[]): Buffer {
  const floats = values instanceof Float32Array ? values : Float32Array.from(values);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}
