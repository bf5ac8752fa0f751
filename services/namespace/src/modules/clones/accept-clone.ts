import type { Caller } from "@strata/access";
import {
  type AppError,
  alreadyExists,
  err,
  forbidden,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { checkResourceDescription, newId } from "@strata/ids";
import { requirePermission, resolveNamespace } from "../../shared/namespace-access.js";
import { checkName } from "../namespaces/api.js";
import { NAMESPACES_TABLE, type NamespaceRecord } from "../namespaces/tables.js";
import type { ClonePorts } from "./ports.js";
import { runClone } from "./run-clone.js";
import { type CloneRecord, NAMESPACE_CLONES_TABLE } from "./tables.js";

export interface CloneInput {
  readonly namespaceName: string;
  readonly description?: string;
  readonly includeWebhooks: boolean;
}

export interface AcceptedClone {
  readonly namespace: NamespaceRecord;
  readonly task: CloneRecord;
}

/**
 * Accepts a clone of `sourceIdentifier`: reserves the clone's name (its namespace record, which
 * answers 409 until the copy is done) and records the task in one transaction, then starts the
 * copy. It answers once the copy's snapshot is taken, so the clone holds every write acknowledged
 * before the answer and none sent after it (ADR 0024).
 */
export async function acceptClone(
  ports: ClonePorts,
  caller: Caller,
  sourceIdentifier: string,
  input: CloneInput,
): Promise<Result<AcceptedClone, AppError>> {
  const allowed = requirePermission(caller, "admin");
  if (!allowed.ok) return allowed;
  if (caller.namespaces.length > 0)
    return err(forbidden("A namespace-restricted key cannot clone namespaces"));
  const issues: ValidationIssue[] = [];
  checkName(input.namespaceName, issues);
  if (input.description !== undefined) checkResourceDescription(input.description, issues);
  if (issues.length > 0) return err(validationFailed(issues));

  const now = ports.clock().toISOString();
  const accepted = await ports.store.transaction<AcceptedClone, AppError>(async (tx) => {
    const source = await resolveNamespace(tx, caller, sourceIdentifier);
    if (!source.ok) return source;
    const namespaces = tx.table<NamespaceRecord>(NAMESPACES_TABLE);
    const held = await namespaces.count({ organization_id: caller.organizationId });
    if (held >= ports.maxNamespacesPerOrganization)
      return err(quotaReached(ports.maxNamespacesPerOrganization));
    const namespace: NamespaceRecord = {
      id: newId("namespace"),
      organization_id: caller.organizationId,
      namespace_name: input.namespaceName,
      description: input.description ?? source.value.record.description,
      created_at: now,
      updated_at: now,
      clone_status: "cloning",
    };
    const inserted = await namespaces.insert(namespace);
    if (!inserted.ok) return err(alreadyExists("namespace", { namespace_name: input.namespaceName }));
    const task: CloneRecord = {
      id: newId("task"),
      organization_id: caller.organizationId,
      source_namespace_id: source.value.record.id,
      namespace_id: namespace.id,
      namespace_name: namespace.namespace_name,
      include_webhooks: input.includeWebhooks,
      status: "cloning",
      progress: {},
      reason: null,
      created_at: now,
      updated_at: now,
    };
    await tx.table<CloneRecord>(NAMESPACE_CLONES_TABLE).insert(task);
    return ok({ namespace, task });
  });
  if (!accepted.ok) return accepted;
  await runClone(ports, accepted.value.task);
  return accepted;
}

/** 403 with the documented error body: the organization holds as many namespaces as it may. */
function quotaReached(quota: number): AppError {
  return forbidden(
    `The organization holds ${quota} namespaces, its quota (NAMESPACE_MAX_PER_ORGANIZATION); delete one first`,
    { quota, setting: "NAMESPACE_MAX_PER_ORGANIZATION" },
  );
}
