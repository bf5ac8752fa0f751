import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { aclV1 } from "@strata/proto";
import { compileCallerVisibility } from "../../domain/acl/compile-caller-visibility.js";
import { createRule, deleteRule, getRule, listRules, updateRule } from "../../domain/acl/rules.js";
import type { VisibilityCache } from "../../domain/acl/visibility-cache.js";
import type { AclQueryPorts } from "../../domain/ports.js";
import type { AclRuleRecord } from "../../domain/tables.js";

type Handler<Req, Res> = UnaryHandlerWithCaller<Req, Res>;

export function ruleToProto(rule: AclRuleRecord): aclV1.AclRule {
  return {
    ruleId: rule.id,
    namespaceId: rule.namespace_id,
    ruleName: rule.rule_name,
    effect: rule.effect,
    condition: { ...rule.condition },
    collectionIds: [...rule.collection_ids],
    createdAt: new Date(rule.created_at),
    updatedAt: new Date(rule.updated_at),
  };
}

const answer = (rule: AclRuleRecord) => ok({ rule: ruleToProto(rule) });

export function aclHandlers(ports: AclQueryPorts, cache: VisibilityCache) {
  const create: Handler<aclV1.CreateAclRuleRequest, aclV1.CreateAclRuleResponse> = async (
    request,
    { caller },
  ) => {
    const result = await createRule(ports, caller, request.namespaceId, {
      ruleName: request.ruleName,
      effect: request.effect,
      condition: request.condition,
      collectionIds: request.collectionIds,
    });
    return result.ok ? answer(result.value) : result;
  };
  const get: Handler<aclV1.GetAclRuleRequest, aclV1.GetAclRuleResponse> = async (request, { caller }) => {
    const result = await getRule(ports, caller, request.namespaceId, request.rule);
    return result.ok ? answer(result.value) : result;
  };
  const remove: Handler<aclV1.DeleteAclRuleRequest, aclV1.DeleteAclRuleResponse> = async (
    request,
    { caller },
  ) => {
    const result = await deleteRule(ports, caller, request.namespaceId, request.rule);
    return result.ok ? answer(result.value) : result;
  };
  const update: Handler<aclV1.UpdateAclRuleRequest, aclV1.UpdateAclRuleResponse> = async (
    request,
    { caller },
  ) => {
    const result = await updateRule(ports, caller, request.namespaceId, request.rule, {
      ruleName: request.ruleName,
      effect: request.effect,
      condition: request.condition,
      collectionIds: request.setCollectionIds ? request.collectionIds : undefined,
    });
    return result.ok ? answer(result.value) : result;
  };
  const list: Handler<aclV1.ListAclRulesRequest, aclV1.ListAclRulesResponse> = async (
    request,
    { caller },
  ) => {
    const result = await listRules(ports, caller, request.namespaceId, {
      limit: request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    if (!result.ok) return result;
    return ok({ rules: result.value.records.map(ruleToProto), nextCursor: result.value.nextCursor ?? "" });
  };
  const compile: Handler<aclV1.CompileVisibilityRequest, aclV1.CompileVisibilityResponse> = async (
    request,
    { caller },
  ) => {
    const result = await compileCallerVisibility(ports, cache, caller, request.namespaceId);
    return result.ok ? ok({ filter: { ...result.value } }) : result;
  };
  return { create, get, remove, update, list, compile };
}
