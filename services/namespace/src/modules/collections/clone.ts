import { ok } from "@strata/errors";
import { type CloneStep, cloneIdOf, insertCopies } from "../../shared/clone-step.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "./tables.js";

/** The source's collections (not those being deleted), under the clone's ids (ADR 0024). */
export function cloneCollections(): CloneStep {
  return async ({ tx, sourceNamespaceId, target }) => {
    const table = tx.table<CollectionRecord>(COLLECTIONS_TABLE);
    const sources = await table.find({ where: { namespace_id: sourceNamespaceId, state: "active" } });
    const copied = await insertCopies(
      table,
      sources.map(({ record }) => ({
        ...record,
        id: cloneIdOf("collection", target, record.id),
        namespace_id: target.namespaceId,
        organization_id: target.organizationId,
      })),
    );
    return copied.ok ? ok({ collections: copied.value }) : copied;
  };
}
