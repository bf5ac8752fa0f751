import { createHash } from "node:crypto";
import type { TierVector } from "../../shared/vectors/tier-vectors.js";

/**
 * SHA-256 of a document's vectors as every tier stores them: float32, in feature-URI order, each
 * preceded by its URI. Equal sums mean the copy holds the same bytes as its source.
 */
export function vectorChecksum(vectors: readonly TierVector[]): string {
  const hash = createHash("sha256");
  const sorted = [...vectors].sort((a, b) => (a.feature_uri < b.feature_uri ? -1 : 1));
  for (const v of sorted) {
    hash.update(v.feature_uri);
    hash.update("\0");
    hash.update(new Uint8Array(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength));
  }
  return hash.digest("hex");
}
