import { type Caller, canReachNamespace, hasPermission, type Permission } from "@strata/access";
import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, conflict, err, forbidden, notFound, ok, type Result } from "@strata/errors";
import { isId } from "@strata/ids";
import { isValidNamespaceName } from "../modules/namespaces/api.js";
import { NAMESPACES_TABLE, type NamespaceRecord } from "../modules/namespaces/tables.js";

export function requirePermission(caller: Caller, needed: Permission): Result<void, AppError> {
  return hasPermission(caller, needed)
    ? ok(undefined)
    : err(forbidden(`This call needs the ${needed} permission`, { required_permission: needed }));
}

/**
 * Finds a namespace by id (ns_…) or by name, within the caller's organization and reach. Another
 * organization's namespace, one outside a restricted key's list, and a missing one all answer the
 * same not_found, so callers cannot probe for what they may not see.
 */
export async function resolveNamespace(
  session: DocStoreSession,
  caller: Caller,
  identifier: string,
): Promise<Result<Versioned<NamespaceRecord>, AppError>> {
  const table = session.table<NamespaceRecord>(NAMESPACES_TABLE);
  let found: Versioned<NamespaceRecord> | undefined;
  if (isId("namespace", identifier)) {
    found = await table.get(identifier);
  } else if (isValidNamespaceName(identifier)) {
    [found] = await table.find({
      where: { organization_id: caller.organizationId, namespace_name: identifier },
      limit: 1,
    });
  }
  if (
    found === undefined ||
    found.record.organization_id !== caller.organizationId ||
    !canReachNamespace(caller, found.record.id)
  ) {
    return err(notFound("namespace", identifier));
  }
  if (found.record.clone_status === "cloning")
    return err(stillCloning(found.record.id, found.record.namespace_name));
  return ok(found);
}

/** 409: the namespace is a clone whose copy has not finished (ADR 0024). */
export function stillCloning(namespaceId: string, namespaceName: string): AppError {
  return conflict(`Namespace ${namespaceName} is still being cloned; poll its clone-status`, {
    namespace_id: namespaceId,
    clone_status: "cloning",
  });
}
