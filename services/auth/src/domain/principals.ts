import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, listPage, retryOnConflict } from "@strata/docstore";
import {
  type AppError,
  alreadyExists,
  badRequest,
  err,
  forbidden,
  notFound,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { requireAdmin } from "./key-access.js";
import { LIST_LIMIT_MAX } from "./manage-keys.js";
import type { AuthPorts } from "./ports.js";
import { principalEvent } from "./principal-events.js";
import { checkAttributes, checkPrincipalId, checkRoles } from "./principal-input.js";
import { PRINCIPALS_TABLE, type PrincipalRecord, principalKey } from "./tables.js";

export interface NewPrincipal {
  readonly principalId: string;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface PrincipalChange {
  readonly roles?: readonly string[] | undefined;
  readonly attributes?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Principals are managed by the organization, never by its end users: an end-user key cannot
 * change its own roles (that would grant itself documents).
 */
function requireOrgAdmin(caller: Caller): Result<void, AppError> {
  if (caller.principalId !== undefined) {
    return err(forbidden("Principals are managed with an organization key, not an end-user key"));
  }
  return requireAdmin(caller);
}

export async function createPrincipal(
  ports: AuthPorts,
  caller: Caller,
  input: NewPrincipal,
): Promise<Result<PrincipalRecord, AppError>> {
  const allowed = requireOrgAdmin(caller);
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  checkPrincipalId(input.principalId, issues);
  const roles = checkRoles(input.roles, issues);
  checkAttributes(input.attributes, issues);
  if (issues.length > 0) return err(validationFailed(issues, "Principal is invalid"));
  const now = ports.clock();
  const record: PrincipalRecord = {
    id: principalKey(caller.organizationId, input.principalId),
    organization_id: caller.organizationId,
    principal_id: input.principalId,
    roles,
    attributes: { ...input.attributes },
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  const result = await ports.store.transaction<PrincipalRecord, AppError>(async (tx) => {
    const inserted = await tx.table<PrincipalRecord>(PRINCIPALS_TABLE).insert(record);
    if (!inserted.ok) return err(alreadyExists("principal", { principal_id: input.principalId }));
    await ports.appendEvent(tx, principalEvent("principal.created", record, now));
    return ok(record);
  });
  if (result.ok) ports.eventsCommitted();
  return result;
}

export async function getPrincipal(
  ports: AuthPorts,
  caller: Caller,
  principalId: string,
): Promise<Result<PrincipalRecord, AppError>> {
  const allowed = requireOrgAdmin(caller);
  if (!allowed.ok) return allowed;
  const found = await resolvePrincipal(ports, caller.organizationId, principalId);
  return found === undefined ? err(notFound("principal", principalId)) : ok(found);
}

/** The principal of an organization (the gateway's X-Principal lookup, key verification). */
export async function resolvePrincipal(
  ports: Pick<AuthPorts, "store">,
  organizationId: string,
  principalId: string,
): Promise<PrincipalRecord | undefined> {
  if (organizationId === "" || principalId === "") return undefined;
  const found = await ports.store
    .table<PrincipalRecord>(PRINCIPALS_TABLE)
    .get(principalKey(organizationId, principalId));
  return found?.record;
}

export async function listPrincipals(
  ports: AuthPorts,
  caller: Caller,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<{ principals: PrincipalRecord[]; nextCursor: string | null }, AppError>> {
  const allowed = requireOrgAdmin(caller);
  if (!allowed.ok) return allowed;
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > LIST_LIMIT_MAX) {
    return err(badRequest(`limit must be between 1 and ${LIST_LIMIT_MAX}`, { limit: request.limit }));
  }
  const page = await listPage(ports.store.table<PrincipalRecord>(PRINCIPALS_TABLE), {
    where: { organization_id: caller.organizationId },
    limit: request.limit,
    cursor: request.cursor,
    direction: "desc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  return ok({ principals: page.value.records.map((r) => r.record), nextCursor: page.value.nextCursor });
}

export async function updatePrincipal(
  ports: AuthPorts,
  caller: Caller,
  principalId: string,
  change: PrincipalChange,
): Promise<Result<PrincipalRecord, AppError>> {
  const allowed = requireOrgAdmin(caller);
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  const roles = change.roles === undefined ? undefined : checkRoles(change.roles, issues);
  if (change.attributes !== undefined) checkAttributes(change.attributes, issues);
  if (issues.length > 0) return err(validationFailed(issues, "Principal change is invalid"));
  const result = await retryOnConflict(() =>
    ports.store.transaction<PrincipalRecord, AppError | Conflict>(async (tx) => {
      const found = await tx
        .table<PrincipalRecord>(PRINCIPALS_TABLE)
        .get(principalKey(caller.organizationId, principalId));
      if (found === undefined) return err(notFound("principal", principalId));
      const now = ports.clock();
      const updated: PrincipalRecord = {
        ...found.record,
        ...(roles === undefined ? {} : { roles }),
        ...(change.attributes === undefined ? {} : { attributes: { ...change.attributes } }),
        updated_at: now.toISOString(),
      };
      const replaced = await tx.table<PrincipalRecord>(PRINCIPALS_TABLE).replace(updated, found.version);
      if (!replaced.ok) return err(CONFLICT);
      await ports.appendEvent(tx, principalEvent("principal.updated", updated, now));
      return ok(updated);
    }),
  );
  if (result.ok) ports.eventsCommitted();
  return result;
}

/** Keys bound to a deleted principal keep working, with the roles they were created with (see verify-key). */
export async function deletePrincipal(
  ports: AuthPorts,
  caller: Caller,
  principalId: string,
): Promise<Result<PrincipalRecord, AppError>> {
  const allowed = requireOrgAdmin(caller);
  if (!allowed.ok) return allowed;
  const result = await ports.store.transaction<PrincipalRecord, AppError>(async (tx) => {
    const table = tx.table<PrincipalRecord>(PRINCIPALS_TABLE);
    const found = await table.get(principalKey(caller.organizationId, principalId));
    if (found === undefined || !(await table.delete(found.record.id, found.version))) {
      return err(notFound("principal", principalId));
    }
    await ports.appendEvent(tx, principalEvent("principal.deleted", found.record, ports.clock()));
    return ok(found.record);
  });
  if (result.ok) ports.eventsCommitted();
  return result;
}
