import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import { isId, isValidResourceName } from "@strata/ids";
import type { NamespaceRecord } from "../namespaces/tables.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "./tables.js";

/**
 * Finds a collection by id (col_…) or name inside `namespace`. A collection of another namespace,
 * one being deleted and a missing one all answer the same not_found. `includeDeleting` lets a
 * repeated delete (by id) resume a deletion that was cut short.
 */
export async function resolveCollection(
  session: DocStoreSession,
  namespace: NamespaceRecord,
  identifier: string,
  options: { readonly includeDeleting?: boolean } = {},
): Promise<Result<Versioned<CollectionRecord>, AppError>> {
  const table = session.table<CollectionRecord>(COLLECTIONS_TABLE);
  let found: Versioned<CollectionRecord> | undefined;
  if (isId("collection", identifier)) {
    found = await table.get(identifier);
  } else if (isValidResourceName("collection", identifier)) {
    [found] = await table.find({
      where: { namespace_id: namespace.id, collection_name: identifier },
      limit: 1,
    });
  }
  if (
    found === undefined ||
    found.record.namespace_id !== namespace.id ||
    found.record.organization_id !== namespace.organization_id ||
    (found.record.state !== "active" && options.includeDeleting !== true)
  ) {
    return err(notFound("collection", identifier));
  }
  return ok(found);
}
