import { buildEvent, type EventEnvelope } from "@strata/events";
import type { AclRuleRecord } from "../tables.js";

type RuleEvent = "acl_rule.created" | "acl_rule.updated" | "acl_rule.deleted";

/** Every replica's compiled-filter cache drops the rule's namespace when one of these arrives. */
export function ruleEvent<T extends RuleEvent>(type: T, rule: AclRuleRecord, time: Date): EventEnvelope<T> {
  const origin = {
    service: "acl-query",
    organizationId: rule.organization_id,
    namespaceId: rule.namespace_id,
    subject: rule.id,
    time,
  };
  const data = {
    rule_id: rule.id,
    rule_name: rule.rule_name,
    namespace_id: rule.namespace_id,
    organization_id: rule.organization_id,
    effect: rule.effect,
    condition: rule.condition,
    collection_ids: [...rule.collection_ids],
  };
  return buildEvent(type, origin, data as Parameters<typeof buildEvent<T>>[2]);
}
