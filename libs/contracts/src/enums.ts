// The names the REST API, the events and the domains give to the contracts' enums. libs/proto maps
// them to and from the generated protobuf enums.

export const TIERS = ["hot", "warm", "cold", "archive"] as const;
export type TierName = (typeof TIERS)[number];
/** The tiers that hold a document's vectors (archive keeps metadata and lineage only). */
export const VECTOR_TIERS = ["hot", "warm", "cold"] as const satisfies readonly TierName[];

export const METRICS = ["cosine", "euclidean", "dot"] as const;
export type MetricName = (typeof METRICS)[number];

export function isTierName(value: string): value is TierName {
  return (TIERS as readonly string[]).includes(value);
}
