import { type collectionV1, type documentV1, metricFromProto, tierFromProto } from "@strata/proto";
import type { Tier } from "../../domain/namespace-data.js";
import type { Metric } from "../../domain/tables.js";

// The namespace service's enums as this service names them. An unknown value is a contract break
// between the two services (a bug), so it throws rather than guessing.

export function metricOf(metric: collectionV1.DistanceMetric): Metric {
  const name = metricFromProto(metric);
  if (name === undefined) throw new Error(`the namespace service answered metric ${String(metric)}`);
  return name;
}

export function tierOf(tier: documentV1.Tier): Tier {
  const name = tierFromProto(tier);
  if (name === undefined) throw new Error(`the namespace service answered tier ${String(tier)}`);
  return name;
}
