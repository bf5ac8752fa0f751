import type { OwningServices } from "../adapters/grpc/owning-services.js";
import type { ResourceKind } from "../domain/ports.js";
import { aclRuleKind } from "./acl-rules.js";
import { alertKind } from "./alerts.js";
import { bucketKind } from "./buckets.js";
import { collectionKind } from "./collections.js";
import { retrieverKind } from "./retrievers.js";
import { taxonomyKind } from "./taxonomies.js";
import { tieringPolicyKind } from "./tiering-policy.js";
import { webhookKind } from "./webhooks.js";

/**
 * Every kind a manifest may list, one file each. A new kind is one more file implementing
 * ResourceKind and one more line here; its `order`
 * places it in the dependency order (buckets 10, collections 20, taxonomies 30, retrievers 40,
 * alerts 50, acl_rules 60, webhooks 70, tiering_policy 80).
 */
export function resourceKinds(services: OwningServices): ResourceKind[] {
  return [
    bucketKind(services),
    collectionKind(services),
    taxonomyKind(services),
    retrieverKind(services),
    alertKind(services),
    aclRuleKind(services),
    webhookKind(services),
    tieringPolicyKind(services),
  ];
}
