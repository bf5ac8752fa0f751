import type { DocStore } from "@strata/docstore";
import { ACL_RULES_TABLE, ALERTS_TABLE, RETRIEVERS_TABLE } from "./tables.js";

/**
 * Removes a deleted namespace's retrievers, alerts and ACL rules (DESIGN §6). Alerts first, since
 * each names a retriever; repeating it removes nothing twice. No acl_rule.deleted events: no caller
 * can reach the namespace any more, so no compiled visibility of it is left to invalidate.
 */
export async function purgeNamespaceQueries(
  store: DocStore,
  namespaceId: string,
): Promise<{ readonly alerts: number; readonly retrievers: number; readonly acl_rules: number }> {
  const alerts = await store.table(ALERTS_TABLE).deleteMany({ namespace_id: namespaceId });
  const retrievers = await store.table(RETRIEVERS_TABLE).deleteMany({ namespace_id: namespaceId });
  const aclRules = await store.table(ACL_RULES_TABLE).deleteMany({ namespace_id: namespaceId });
  return { alerts, retrievers, acl_rules: aclRules };
}
