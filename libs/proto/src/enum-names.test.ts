import { PERMISSIONS } from "@strata/access";
import { METRICS, TIERS } from "@strata/contracts";
import { describe, expect, it } from "vitest";
import {
  metricFromProto,
  metricToProto,
  permissionFromProto,
  permissionToProto,
  tierFromProto,
  tierToProto,
} from "./enum-names.js";
import { Permission } from "./gen/strata/auth/v1/auth.js";
import { DistanceMetric } from "./gen/strata/namespace/v1/collection.js";
import { Tier } from "./gen/strata/namespace/v1/document.js";

describe("enum names", () => {
  it("maps every metric, tier and permission both ways", () => {
    for (const name of METRICS) expect(metricFromProto(metricToProto(name))).toBe(name);
    for (const name of TIERS) expect(tierFromProto(tierToProto(name))).toBe(name);
    for (const name of PERMISSIONS) expect(permissionFromProto(permissionToProto(name))).toBe(name);
    expect(permissionToProto("write")).toBe(Permission.PERMISSION_WRITE);
    expect(metricToProto("dot")).toBe(DistanceMetric.DISTANCE_METRIC_DOT);
    expect(tierToProto("archive")).toBe(Tier.TIER_ARCHIVE);
  });

  it("has no name for UNSPECIFIED or an unknown value", () => {
    expect(metricFromProto(DistanceMetric.DISTANCE_METRIC_UNSPECIFIED)).toBeUndefined();
    expect(metricFromProto(DistanceMetric.UNRECOGNIZED)).toBeUndefined();
    expect(tierFromProto(Tier.TIER_UNSPECIFIED)).toBeUndefined();
    expect(tierFromProto(42 as Tier)).toBeUndefined();
    expect(permissionFromProto(Permission.PERMISSION_UNSPECIFIED)).toBeUndefined();
    expect(permissionFromProto(Permission.UNRECOGNIZED)).toBeUndefined();
  });
});
