// The names the REST API, the events and the domains give to the contracts' enums. libs/proto maps
// them to and from the generated protobuf enums.

export const TIERS = ["hot", "warm", "cold", "archive"] as const;
export type TierName = (typeof TIERS)[number];

export const METRICS = ["cosine", "euclidean", "dot"] as const;
export type MetricName = (typeof METRICS)[number];

export function isTierName(value: string): value is TierName {
  return (TIERS as readonly string[]).includes(value);
}
