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
import { requirePermission } from "../../shared/namespace-access.js";
import { namespaceCreatedEvent } from "./namespace-events.js";
import { checkName } from "./namespace-input.js";
import type { NamespacePorts } from "./ports.js";
import { NAMESPACES_TABLE, type NamespaceRecord } from "./tables.js";

export interface NewNamespaceInput {
  readonly namespaceName: string;
  readonly description: string;
}

export async function createNamespace(
  ports: NamespacePorts,
  caller: Caller,
  input: NewNamespaceInput,
): Promise<Result<NamespaceRecord, AppError>> {
  const allowed = requirePermission(caller, "admin");
  if (!allowed.ok) return allowed;
  if (caller.namespaces.length > 0) {
    // The new namespace's id is not in the key's list, so the key could never reach it.
    return err(forbidden("A namespace-restricted key cannot create namespaces"));
  }
  const issues: ValidationIssue[] = [];
  checkName(input.namespaceName, issues);
  checkResourceDescription(input.description, issues);
  if (issues.length > 0) return err(validationFailed(issues));

  const now = ports.clock();
  const record: NamespaceRecord = {
    id: newId("namespace"),
    organization_id: caller.organizationId,
    namespace_name: input.namespaceName,
    description: input.description,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  const result = await ports.store.transaction<NamespaceRecord, AppError>(async (tx) => {
    const inserted = await tx.table<NamespaceRecord>(NAMESPACES_TABLE).insert(record);
    // A fresh random id cannot clash, so a failed insert is the (organization, name) index.
    if (!inserted.ok) return err(alreadyExists("namespace", { namespace_name: input.namespaceName }));
    await ports.appendEvent(tx, namespaceCreatedEvent(record, now));
    return ok(record);
  });
  if (result.ok) ports.eventsCommitted();
  return result;
}
