import { collectionV1, documentV1 } from "@strata/proto";
import type { Tier } from "../../domain/namespace-data.js";
import type { Metric } from "../../domain/tables.js";

// The namespace service's enums as this service names them. An unknown value is a contract break
// between the two services (a bug), so it throws rather than guessing.

export function metricOf(metric: collectionV1.DistanceMetric): Metric {
  switch (metric) {
    case collectionV1.DistanceMetric.DISTANCE_METRIC_COSINE:
      return "cosine";
    case collectionV1.DistanceMetric.DISTANCE_METRIC_EUCLIDEAN:
      return "euclidean";
    case collectionV1.DistanceMetric.DISTANCE_METRIC_DOT:
      return "dot";
    default:
      throw new Error(`the namespace service answered metric ${String(metric)}`);
  }
}

export function tierOf(tier: documentV1.Tier): Tier {
  switch (tier) {
    case documentV1.Tier.TIER_HOT:
      return "hot";
    case documentV1.Tier.TIER_WARM:
      return "warm";
    case documentV1.Tier.TIER_COLD:
      return "cold";
    case documentV1.Tier.TIER_ARCHIVE:
      return "archive";
    default:
      throw new Error(`the namespace service answered tier ${String(tier)}`);
  }
}
