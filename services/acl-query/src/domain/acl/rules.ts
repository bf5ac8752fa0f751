import type { Caller } from "@strata/access";
import {
  CONFLICT,
  type Conflict,
  type DocStoreSession,
  retryOnConflict,
  type Versioned,
} from "@strata/docstore";
import {
  type AppError,
  alreadyExists,
  err,
  forbidden,
  notFound,
  ok,
  type Result,
  validationFailed,
} from "@strata/errors";
import { isId, newId } from "@strata/ids";
import { authorize } from "../access.js";
import { pageInNamespace, type RecordPage } from "../list-page.js";
import type { AclQueryPorts } from "../ports.js";
import { ACL_RULES_TABLE, type AclRuleRecord } from "../tables.js";
import { ruleEvent } from "./rule-events.js";
import { checkRuleFields, MAX_RULES_PER_NAMESPACE, type RuleFields } from "./rule-input.js";

/** Rules decide what end users see, so only an organization admin key (acting for nobody) manages them. */
function authorizeRules(caller: Caller, namespaceId: string): Result<string, AppError> {
  if (caller.principalId !== undefined) {
    return err(forbidden("ACL rules are managed with an organization key, not an end-user key"));
  }
  return authorize(caller, "admin", namespaceId);
}

async function findRule(
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<Versioned<AclRuleRecord>, AppError>> {
  const table = session.table<AclRuleRecord>(ACL_RULES_TABLE);
  const found = isId("rule", identifier)
    ? await table.get(identifier)
    : (await table.find({ where: { namespace_id: namespaceId, rule_name: identifier }, limit: 1 }))[0];
  const mine =
    found !== undefined &&
    found.record.namespace_id === namespaceId &&
    found.record.organization_id === caller.organizationId;
  return mine ? ok(found) : err(notFound("acl_rule", identifier));
}

export async function createRule(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  input: RuleFields,
): Promise<Result<AclRuleRecord, AppError>> {
  const scope = authorizeRules(caller, namespaceId);
  if (!scope.ok) return scope;
  const fields = checkRuleFields({ ...input, collectionIds: input.collectionIds ?? [] }, true);
  if (!fields.ok) return fields;
  const now = ports.clock();
  const { ruleName = "", effect = "deny", condition = {}, collectionIds = [] } = fields.value;
  const record: AclRuleRecord = {
    id: newId("rule"),
    organization_id: caller.organizationId,
    namespace_id: namespaceId,
    rule_name: ruleName,
    effect,
    condition,
    collection_ids: collectionIds,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  const result = await ports.store.transaction<AclRuleRecord, AppError>(async (tx) => {
    const table = tx.table<AclRuleRecord>(ACL_RULES_TABLE);
    if ((await table.count({ namespace_id: namespaceId })) >= MAX_RULES_PER_NAMESPACE) {
      return err(
        validationFailed(
          [
            {
              location: "body",
              message: `a namespace holds at most ${MAX_RULES_PER_NAMESPACE} ACL rules`,
              type: "too_many",
            },
          ],
          "ACL rule is invalid",
        ),
      );
    }
    const inserted = await table.insert(record);
    if (!inserted.ok) return err(alreadyExists("acl_rule", { rule_name: ruleName }));
    await ports.appendEvent(tx, ruleEvent("acl_rule.created", record, now));
    return ok(record);
  });
  if (result.ok) ports.eventsCommitted();
  return result;
}

export async function getRule(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<AclRuleRecord, AppError>> {
  const scope = authorizeRules(caller, namespaceId);
  if (!scope.ok) return scope;
  const found = await findRule(ports.store, caller, namespaceId, identifier);
  return found.ok ? ok(found.value.record) : found;
}

export async function listRules(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<RecordPage<AclRuleRecord>, AppError>> {
  const scope = authorizeRules(caller, namespaceId);
  if (!scope.ok) return scope;
  return pageInNamespace<AclRuleRecord>(
    ports.store,
    ACL_RULES_TABLE,
    { organizationId: caller.organizationId, namespaceId },
    request,
  );
}

export async function updateRule(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
  change: RuleFields,
): Promise<Result<AclRuleRecord, AppError>> {
  const scope = authorizeRules(caller, namespaceId);
  if (!scope.ok) return scope;
  const fields = checkRuleFields(change, false);
  if (!fields.ok) return fields;
  const result = await retryOnConflict(() =>
    ports.store.transaction<AclRuleRecord, AppError | Conflict>(async (tx) => {
      const found = await findRule(tx, caller, namespaceId, identifier);
      if (!found.ok) return found;
      const now = ports.clock();
      const { ruleName, effect, condition, collectionIds } = fields.value;
      const updated: AclRuleRecord = {
        ...found.value.record,
        ...(ruleName === undefined ? {} : { rule_name: ruleName }),
        ...(effect === undefined ? {} : { effect }),
        ...(condition === undefined ? {} : { condition }),
        ...(collectionIds === undefined ? {} : { collection_ids: collectionIds }),
        updated_at: now.toISOString(),
      };
      const replaced = await tx.table<AclRuleRecord>(ACL_RULES_TABLE).replace(updated, found.value.version);
      if (!replaced.ok) {
        return replaced.error === "already_exists"
          ? err(alreadyExists("acl_rule", { rule_name: updated.rule_name }))
          : err(CONFLICT);
      }
      await ports.appendEvent(tx, ruleEvent("acl_rule.updated", updated, now));
      return ok(updated);
    }),
  );
  if (result.ok) ports.eventsCommitted();
  return result;
}

export async function deleteRule(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<AclRuleRecord, AppError>> {
  const scope = authorizeRules(caller, namespaceId);
  if (!scope.ok) return scope;
  const result = await ports.store.transaction<AclRuleRecord, AppError>(async (tx) => {
    const found = await findRule(tx, caller, namespaceId, identifier);
    if (!found.ok) return found;
    const deleted = await tx
      .table<AclRuleRecord>(ACL_RULES_TABLE)
      .delete(found.value.record.id, found.value.version);
    if (!deleted) return err(notFound("acl_rule", identifier));
    await ports.appendEvent(tx, ruleEvent("acl_rule.deleted", found.value.record, ports.clock()));
    return ok(found.value.record);
  });
  if (result.ok) ports.eventsCommitted();
  return result;
}
