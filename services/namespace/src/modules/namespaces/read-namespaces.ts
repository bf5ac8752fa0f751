import { type Caller, canReachNamespace } from "@strata/access";
import { type DocStore, listPage, type Where } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import { requirePermission, resolveNamespace, stillCloning } from "../../shared/namespace-access.js";
import type { NamespacePorts } from "./ports.js";
import { NAMESPACES_TABLE, type NamespaceRecord } from "./tables.js";

export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;

export async function getNamespace(
  ports: NamespacePorts,
  caller: Caller,
  identifier: string,
): Promise<Result<NamespaceRecord, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  // Answered without the store, whose one transaction a running copy holds (ADR 0028).
  const cloning = ports.cloneRuns?.runningClone(caller.organizationId, identifier);
  if (cloning !== undefined && canReachNamespace(caller, cloning.id))
    return err(stillCloning(cloning.id, cloning.name));
  const found = await resolveNamespace(ports.store, caller, identifier);
  return found.ok ? ok(found.value.record) : found;
}

export interface NamespacePage {
  readonly namespaces: readonly NamespaceRecord[];
  readonly nextCursor: string | null;
}

/** The namespaces the caller can reach, newest first (created_at descending, ties by id). */
export async function listNamespaces(
  ports: NamespacePorts,
  caller: Caller,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<NamespacePage, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > LIST_LIMIT_MAX) {
    return err(badRequest(`limit must be between 1 and ${LIST_LIMIT_MAX}`, { limit: request.limit }));
  }
  const where: Where = {
    organization_id: caller.organizationId,
    ...(caller.namespaces.length === 0 ? {} : { id: { $in: [...caller.namespaces] } }),
  };
  const page = await listPage(ports.store.table<NamespaceRecord>(NAMESPACES_TABLE), {
    where,
    limit: request.limit,
    cursor: request.cursor,
    direction: "desc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  return ok({ namespaces: page.value.records.map((v) => v.record), nextCursor: page.value.nextCursor });
}

/**
 * Whether a namespace record with this id exists. The purge asks before it acts: namespace.deleted
 * alone (forged, or replayed) never removes a live namespace's data; only the record's absence does.
 */
export async function namespaceIsLive(store: DocStore, namespaceId: string): Promise<boolean> {
  return (await store.table<NamespaceRecord>(NAMESPACES_TABLE).get(namespaceId)) !== undefined;
}
