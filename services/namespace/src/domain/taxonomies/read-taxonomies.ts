import { listPage } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import type { Caller } from "@strata/grpc";
import type { DataPorts } from "../data-ports.js";
import { requirePermission } from "../namespace-access.js";
import { DATA_LIST_LIMIT_MAX, isValidListLimit, resolveNamespaceScope } from "../namespace-scope.js";
import { resolveTaxonomy } from "./taxonomy-access.js";
import { TAXONOMIES_TABLE, type TaxonomyRecord } from "./taxonomy-tables.js";

export async function getTaxonomy(
  ports: DataPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<TaxonomyRecord, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const found = await resolveTaxonomy(ports.store, namespace.value, identifier);
  return found.ok ? ok(found.value.record) : found;
}

export interface TaxonomyPage {
  readonly taxonomies: readonly TaxonomyRecord[];
  readonly nextCursor: string | null;
}

/** The namespace's taxonomies, newest first. */
export async function listTaxonomies(
  ports: DataPorts,
  caller: Caller,
  namespaceId: string,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<TaxonomyPage, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  if (!isValidListLimit(request.limit)) {
    return err(badRequest(`limit must be between 1 and ${DATA_LIST_LIMIT_MAX}`, { limit: request.limit }));
  }
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const page = await listPage(ports.store.table<TaxonomyRecord>(TAXONOMIES_TABLE), {
    where: { namespace_id: namespace.value.id },
    limit: request.limit,
    cursor: request.cursor,
    direction: "desc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  return ok({ taxonomies: page.value.records.map((v) => v.record), nextCursor: page.value.nextCursor });
}
