import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import { isId, isValidResourceName } from "@strata/ids";
import type { NamespaceRecord } from "../namespaces/tables.js";
import { TAXONOMIES_TABLE, type TaxonomyRecord } from "./tables.js";

/** Finds a taxonomy by id (tax_…) or name inside `namespace`; anything else is not_found. */
export async function resolveTaxonomy(
  session: DocStoreSession,
  namespace: NamespaceRecord,
  identifier: string,
): Promise<Result<Versioned<TaxonomyRecord>, AppError>> {
  const table = session.table<TaxonomyRecord>(TAXONOMIES_TABLE);
  let found: Versioned<TaxonomyRecord> | undefined;
  if (isId("taxonomy", identifier)) {
    found = await table.get(identifier);
  } else if (isValidResourceName("taxonomy", identifier)) {
    [found] = await table.find({
      where: { namespace_id: namespace.id, taxonomy_name: identifier },
      limit: 1,
    });
  }
  if (
    found === undefined ||
    found.record.namespace_id !== namespace.id ||
    found.record.organization_id !== namespace.organization_id
  ) {
    return err(notFound("taxonomy", identifier));
  }
  return ok(found);
}
