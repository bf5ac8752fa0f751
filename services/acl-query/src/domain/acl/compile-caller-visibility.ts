import type { Caller } from "@strata/access";
import { type AppError, ok, type Result } from "@strata/errors";
import {
  type AclRuleSpec,
  type BoundFilterNode,
  compileVisibility,
  MATCH_ALL,
  MATCH_NOTHING,
  parseFilter,
} from "@strata/filter";
import { authorize } from "../access.js";
import type { AclQueryPorts } from "../ports.js";
import { ACL_RULES_TABLE, type AclRuleRecord } from "../tables.js";
import { MAX_RULES_PER_NAMESPACE } from "./rule-input.js";
import { callerKey, type VisibilityCache } from "./visibility-cache.js";

/**
 * The caller's visibility filter in a namespace: everything for an org key acting for nobody, else
 * the namespace's rules and the principal compiled into one bound filter (cached).
 */
export async function compileCallerVisibility(
  ports: Pick<AclQueryPorts, "store">,
  cache: VisibilityCache,
  caller: Caller,
  namespaceId: string,
): Promise<Result<BoundFilterNode, AppError>> {
  const scope = authorize(caller, "read", namespaceId);
  if (!scope.ok) return scope;
  if (caller.principalId === undefined) return ok(MATCH_ALL);
  const key = callerKey(caller);
  const cached = cache.get(namespaceId, key);
  if (cached !== undefined) return ok(cached);
  const epoch = cache.epoch(namespaceId);
  const rules = await namespaceRules(ports, caller.organizationId, namespaceId);
  const filter = rules === undefined ? MATCH_NOTHING : compileVisibility(rules, caller);
  cache.set(namespaceId, key, filter, epoch);
  return ok(filter);
}

/** The namespace's rules as filter ASTs; undefined (so nothing is visible) if one no longer parses. */
export async function namespaceRules(
  ports: Pick<AclQueryPorts, "store">,
  organizationId: string,
  namespaceId: string,
): Promise<AclRuleSpec[] | undefined> {
  const records = await ports.store.table<AclRuleRecord>(ACL_RULES_TABLE).find({
    where: { organization_id: organizationId, namespace_id: namespaceId },
    limit: MAX_RULES_PER_NAMESPACE,
  });
  const rules: AclRuleSpec[] = [];
  for (const { record } of records) {
    const condition = parseFilter(record.condition);
    if (!condition.ok) return undefined;
    rules.push({ effect: record.effect, condition: condition.value, collectionIds: record.collection_ids });
  }
  return rules;
}
