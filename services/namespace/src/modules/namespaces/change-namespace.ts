import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import {
  type AppError,
  alreadyExists,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { checkResourceDescription } from "@strata/ids";
import { requirePermission, resolveNamespace } from "../../shared/namespace-access.js";
import { namespaceDeletedEvent, namespaceUpdatedEvent } from "./namespace-events.js";
import { checkName } from "./namespace-input.js";
import type { NamespacePorts } from "./ports.js";
import { NAMESPACES_TABLE, type NamespaceRecord } from "./tables.js";

export interface NamespaceChanges {
  readonly namespaceName?: string | undefined;
  readonly description?: string | undefined;
}

/**
 * Renames and/or re-describes a namespace. A change that changes nothing answers the namespace as
 * it is and emits no event.
 */
export async function updateNamespace(
  ports: NamespacePorts,
  caller: Caller,
  identifier: string,
  changes: NamespaceChanges,
): Promise<Result<NamespaceRecord, AppError>> {
  const allowed = requirePermission(caller, "admin");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  if (changes.namespaceName !== undefined) checkName(changes.namespaceName, issues);
  if (changes.description !== undefined) checkResourceDescription(changes.description, issues);
  if (issues.length > 0) return err(validationFailed(issues));

  let emitted = false;
  const result = await retryOnConflict(() =>
    ports.store.transaction<NamespaceRecord, AppError | Conflict>(async (tx) => {
      emitted = false;
      const found = await resolveNamespace(tx, caller, identifier);
      if (!found.ok) return found;
      const { record: current, version } = found.value;
      const name = changes.namespaceName ?? current.namespace_name;
      const description = changes.description ?? current.description;
      if (name === current.namespace_name && description === current.description) return ok(current);

      const now = ports.clock();
      const updated: NamespaceRecord = {
        ...current,
        namespace_name: name,
        description,
        updated_at: now.toISOString(),
      };
      const replaced = await tx.table<NamespaceRecord>(NAMESPACES_TABLE).replace(updated, version);
      if (!replaced.ok) {
        if (replaced.error === "already_exists")
          return err(alreadyExists("namespace", { namespace_name: name }));
        return err(CONFLICT);
      }
      await ports.appendEvent(tx, namespaceUpdatedEvent(updated, current.namespace_name, now));
      emitted = true;
      return ok(updated);
    }),
  );
  if (result.ok && emitted) ports.eventsCommitted();
  return result;
}

/** Deletes a namespace; its name may be taken again at once. Consumers of namespace.deleted purge its data. */
export async function deleteNamespace(
  ports: NamespacePorts,
  caller: Caller,
  identifier: string,
): Promise<Result<NamespaceRecord, AppError>> {
  const allowed = requirePermission(caller, "admin");
  if (!allowed.ok) return allowed;
  const result = await retryOnConflict(() =>
    ports.store.transaction<NamespaceRecord, AppError | Conflict>(async (tx) => {
      const found = await resolveNamespace(tx, caller, identifier);
      if (!found.ok) return found;
      const { record, version } = found.value;
      const deleted = await tx.table<NamespaceRecord>(NAMESPACES_TABLE).delete(record.id, version);
      if (!deleted) return err(CONFLICT);
      await ports.appendEvent(tx, namespaceDeletedEvent(record, ports.clock()));
      return ok(record);
    }),
  );
  if (result.ok) ports.eventsCommitted();
  return result;
}
