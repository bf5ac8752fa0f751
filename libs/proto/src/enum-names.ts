// The contracts' enums as the REST API and the domains name them ("cosine", "hot", "admin"), in one
// place: every service maps between the two, and all of them must agree. The names themselves live
// in @strata/contracts (tiers, metrics) and @strata/access (permissions). Hand-written, not generated.
import type { Permission } from "@strata/access";
import type { MetricName, TierName } from "@strata/contracts";
import { Permission as ProtoPermission } from "./gen/strata/auth/v1/auth.js";
import { DistanceMetric } from "./gen/strata/namespace/v1/collection.js";
import { Tier } from "./gen/strata/namespace/v1/document.js";

const METRIC_TO_PROTO: Readonly<Record<MetricName, DistanceMetric>> = {
  cosine: DistanceMetric.DISTANCE_METRIC_COSINE,
  euclidean: DistanceMetric.DISTANCE_METRIC_EUCLIDEAN,
  dot: DistanceMetric.DISTANCE_METRIC_DOT,
};

const TIER_TO_PROTO: Readonly<Record<TierName, Tier>> = {
  hot: Tier.TIER_HOT,
  warm: Tier.TIER_WARM,
  cold: Tier.TIER_COLD,
  archive: Tier.TIER_ARCHIVE,
};

const PERMISSION_TO_PROTO: Readonly<Record<Permission, ProtoPermission>> = {
  read: ProtoPermission.PERMISSION_READ,
  write: ProtoPermission.PERMISSION_WRITE,
  admin: ProtoPermission.PERMISSION_ADMIN,
  "acl:impersonate": ProtoPermission.PERMISSION_ACL_IMPERSONATE,
};

export function metricToProto(name: MetricName): DistanceMetric {
  return METRIC_TO_PROTO[name];
}

/** Undefined for UNSPECIFIED or a value this build does not know. */
export function metricFromProto(value: DistanceMetric): MetricName | undefined {
  return nameOf(METRIC_TO_PROTO, value);
}

export function tierToProto(name: TierName): Tier {
  return TIER_TO_PROTO[name];
}

/** Undefined for UNSPECIFIED or a value this build does not know. */
export function tierFromProto(value: Tier): TierName | undefined {
  return nameOf(TIER_TO_PROTO, value);
}

export function permissionToProto(name: Permission): ProtoPermission {
  return PERMISSION_TO_PROTO[name];
}

/** Undefined for UNSPECIFIED or a value this build does not know. */
export function permissionFromProto(value: ProtoPermission): Permission | undefined {
  return nameOf(PERMISSION_TO_PROTO, value);
}

function nameOf<N extends string, V>(table: Readonly<Record<N, V>>, value: V): N | undefined {
  for (const [name, candidate] of Object.entries(table) as [N, V][]) if (candidate === value) return name;
  return undefined;
}
