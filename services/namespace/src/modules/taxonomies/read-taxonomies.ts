import type { Caller } from "@strata/access";
import { type AppError, ok, type Result } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { listInNamespace, resolveNamespaceScope } from "../../shared/namespace-scope.js";
import type { TaxonomyPorts } from "./ports.js";
import { TAXONOMIES_TABLE, type TaxonomyRecord } from "./tables.js";
import { resolveTaxonomy } from "./taxonomy-access.js";

export async function getTaxonomy(
  ports: TaxonomyPorts,
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
  ports: TaxonomyPorts,
  caller: Caller,
  namespaceId: string,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<TaxonomyPage, AppError>> {
  const page = await listInNamespace<TaxonomyRecord>(
    ports.store,
    caller,
    namespaceId,
    request,
    TAXONOMIES_TABLE,
  );
  return page.ok ? ok({ taxonomies: page.value.records, nextCursor: page.value.nextCursor }) : page;
}
