import type { Caller } from "@strata/access";
import { type AppError, ok, type Result } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { listInNamespace, resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { resolveCollection } from "./collection-access.js";
import type { CollectionPorts } from "./ports.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "./tables.js";

export async function getCollection(
  ports: CollectionPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<CollectionRecord, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const found = await resolveCollection(ports.store, namespace.value, identifier);
  return found.ok ? ok(found.value.record) : found;
}

export interface CollectionPage {
  readonly collections: readonly CollectionRecord[];
  readonly nextCursor: string | null;
}

/** The namespace's collections, newest first; those being deleted are left out. */
export async function listCollections(
  ports: CollectionPorts,
  caller: Caller,
  namespaceId: string,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<CollectionPage, AppError>> {
  const page = await listInNamespace<CollectionRecord>(
    ports.store,
    caller,
    namespaceId,
    request,
    COLLECTIONS_TABLE,
    { state: "active" },
  );
  return page.ok ? ok({ collections: page.value.records, nextCursor: page.value.nextCursor }) : page;
}
