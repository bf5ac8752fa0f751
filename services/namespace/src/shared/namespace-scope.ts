import type { Caller } from "@strata/access";
import {
  type DocStore,
  type DocStoreSession,
  listPage,
  type StoredRecord,
  type Where,
} from "@strata/docstore";
import { type AppError, badRequest, err, notFound, ok, type Result } from "@strata/errors";
import { isId } from "@strata/ids";
import type { NamespaceRecord } from "../modules/namespaces/tables.js";
import { requirePermission, resolveNamespace } from "./namespace-access.js";

/**
 * The namespace a collection, document or taxonomy call acts in. The gateway resolved X-Namespace
 * to an id already; this checks again that the caller's organization owns it and the key reaches
 * it. Anything else (a name, a missing or foreign namespace) answers not_found.
 */
export async function resolveNamespaceScope(
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
): Promise<Result<NamespaceRecord, AppError>> {
  if (!isId("namespace", namespaceId)) return err(notFound("namespace", namespaceId));
  const found = await resolveNamespace(session, caller, namespaceId);
  return found.ok ? ok(found.value.record) : found;
}

/** Page sizes of every list call in the data path. */
export const DATA_LIST_LIMIT_DEFAULT = 20;
export const DATA_LIST_LIMIT_MAX = 100;

export function isValidListLimit(limit: number): boolean {
  return Number.isInteger(limit) && limit >= 1 && limit <= DATA_LIST_LIMIT_MAX;
}

export interface RecordPage<T> {
  readonly records: readonly T[];
  readonly nextCursor: string | null;
}

/**
 * A page of one namespace's records of a table, newest first, for a caller that may read there:
 * the permission, limit, namespace and cursor checks every namespace-scoped list makes.
 */
export async function listInNamespace<T extends StoredRecord>(
  store: DocStore,
  caller: Caller,
  namespaceId: string,
  request: { readonly limit: number; readonly cursor: string | undefined },
  table: string,
  where: Where = {},
): Promise<Result<RecordPage<T>, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  if (!isValidListLimit(request.limit)) {
    return err(badRequest(`limit must be between 1 and ${DATA_LIST_LIMIT_MAX}`, { limit: request.limit }));
  }
  const namespace = await resolveNamespaceScope(store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const page = await listPage(store.table<T>(table), {
    where: { ...where, namespace_id: namespace.value.id },
    limit: request.limit,
    cursor: request.cursor,
    direction: "desc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  return ok({ records: page.value.records.map((v) => v.record), nextCursor: page.value.nextCursor });
}
