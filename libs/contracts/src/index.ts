// The rules of the public contracts that types cannot carry: limits, enum names and the feature-URI
// grammar, in one place for the gateway and every service (a guard test keeps them here).

export type { MetricName, TierName } from "./enums.js";
export { isTierName, METRICS, TIERS, VECTOR_TIERS } from "./enums.js";
export type { FeatureUri } from "./feature-uri.js";
export { canonicalFeatureUri, FEATURE_URI_FORMAT, FEATURE_URI_MAX, parseFeatureUri } from "./feature-uri.js";
export {
  MAX_ACL_ENTRIES,
  MAX_BATCH_DOCUMENTS,
  MAX_CREATE_BATCH,
  MAX_DIMENSIONS,
  MAX_JSON_DEPTH,
  MAX_PRINCIPAL_LENGTH,
  MAX_QUERY_TEXT_LENGTH,
  MAX_RETRIEVER_COLLECTIONS,
  MAX_TAXONOMY_NODES,
  MAX_TOP_K,
  MAX_WEBHOOK_RATE_PER_SECOND,
} from "./limits.js";
