import { PERMISSIONS } from "@strata/access";
import { TIERS } from "@strata/contracts";
import { z } from "zod";

/** The field groups several events of the catalogue share (catalog.ts). */
export const isoTime = z.iso.datetime({ offset: true });
export const permission = z.enum(PERMISSIONS);
export const tier = z.enum(TIERS);
export const documentField = z.enum(["metadata", "features", "text", "taxonomy_labels", "acl"]);
/** Names a document: its id is unique only within its collection. */
export const documentRef = {
  document_id: z.string(),
  collection_id: z.string(),
  namespace_id: z.string(),
  organization_id: z.string(),
  tier,
};

/** A principal as auth stores it: the end user of a customer's application. */
export const principalState = {
  principal_id: z.string(),
  organization_id: z.string(),
  roles: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
};

/** An ACL rule as acl-query stores it. */
export const aclRuleState = {
  rule_id: z.string(),
  rule_name: z.string(),
  namespace_id: z.string(),
  organization_id: z.string(),
  effect: z.enum(["allow", "deny"]),
  condition: z.unknown().describe("The filter language's JSON form; may reference $user.*"),
  collection_ids: z.array(z.string()).describe("Empty means every collection of the namespace"),
};

/** The outcome of a document batch: published once, when its last chunk is processed. */
export const batchSummary = {
  batch_id: z.string(),
  collection_id: z.string(),
  namespace_id: z.string(),
  organization_id: z.string(),
  total: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
};
