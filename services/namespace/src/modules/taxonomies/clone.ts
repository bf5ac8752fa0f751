import { ok } from "@strata/errors";
import { type CloneStep, cloneIdOf, insertCopies } from "../../shared/clone-step.js";
import { TAXONOMIES_TABLE, type TaxonomyRecord } from "./tables.js";

/** The source's taxonomies under the clone's ids; documents' labels name these ids (ADR 0024). */
export function cloneTaxonomies(): CloneStep {
  return async ({ tx, sourceNamespaceId, target }) => {
    const table = tx.table<TaxonomyRecord>(TAXONOMIES_TABLE);
    const sources = await table.find({ where: { namespace_id: sourceNamespaceId } });
    const copied = await insertCopies(
      table,
      sources.map(({ record }) => ({
        ...record,
        id: cloneIdOf("taxonomy", target, record.id),
        namespace_id: target.namespaceId,
        organization_id: target.organizationId,
      })),
    );
    return copied.ok ? ok({ taxonomies: copied.value }) : copied;
  };
}
