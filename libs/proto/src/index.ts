// Generated gRPC contracts (ts-proto, grpc-js services). Regenerate with `pnpm run codegen`.

export {
  metricFromProto,
  metricToProto,
  permissionFromProto,
  permissionToProto,
  tierFromProto,
  tierToProto,
} from "./enum-names.js";
export * as aclV1 from "./gen/strata/aclquery/v1/acl.js";
export * as alertV1 from "./gen/strata/aclquery/v1/alert.js";
export * as retrieverV1 from "./gen/strata/aclquery/v1/retriever.js";
export * as authV1 from "./gen/strata/auth/v1/auth.js";
export * as manifestV1 from "./gen/strata/manifest/v1/manifest.js";
export * as batchV1 from "./gen/strata/namespace/v1/batch.js";
export * as bucketV1 from "./gen/strata/namespace/v1/bucket.js";
export * as cloneV1 from "./gen/strata/namespace/v1/clone.js";
export * as collectionV1 from "./gen/strata/namespace/v1/collection.js";
export * as documentV1 from "./gen/strata/namespace/v1/document.js";
export * as namespaceV1 from "./gen/strata/namespace/v1/namespace.js";
export * as searchV1 from "./gen/strata/namespace/v1/search.js";
export * as taxonomyV1 from "./gen/strata/namespace/v1/taxonomy.js";
export * as tierV1 from "./gen/strata/namespace/v1/tier.js";
export * as tieringV1 from "./gen/strata/tiering/v1/tiering.js";
export * as webhookV1 from "./gen/strata/webhook/v1/webhook.js";
