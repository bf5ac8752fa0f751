import { describe, expect, it } from "vitest";
import { metricFromProto, metricToProto, tierFromProto, tierToProto } from "./enum-names.js";
import { DistanceMetric } from "./gen/strata/namespace/v1/collection.js";
import { Tier } from "./gen/strata/namespace/v1/document.js";

describe("enum names", () => {
  it("maps every metric and tier both ways", () => {
    for (const name of ["cosine", "euclidean", "dot"] as const)
      expect(metricFromProto(metricToProto(name))).toBe(name);
    for (const name of ["hot", "warm", "cold", "archive"] as const)
      expect(tierFromProto(tierToProto(name))).toBe(name);
    expect(metricToProto("dot")).toBe(DistanceMetric.DISTANCE_METRIC_DOT);
    expect(tierToProto("archive")).toBe(Tier.TIER_ARCHIVE);
  });

  it("has no name for UNSPECIFIED or an unknown value", () => {
    expect(metricFromProto(DistanceMetric.DISTANCE_METRIC_UNSPECIFIED)).toBeUndefined();
    expect(metricFromProto(DistanceMetric.UNRECOGNIZED)).toBeUndefined();
    expect(tierFromProto(Tier.TIER_UNSPECIFIED)).toBeUndefined();
    expect(tierFromProto(42 as Tier)).toBeUndefined();
  });
});
