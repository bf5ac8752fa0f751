import { ok } from "@strata/errors";
import { drain } from "../../shared/drain.js";
import type { PurgeStep } from "../../shared/purge-step.js";
import { removeCollectionData } from "./delete-collection.js";
import type { CollectionPorts } from "./ports.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "./tables.js";

/** A deleted namespace's collections, each through the same steps as a collection delete. */
export function purgeCollections(ports: CollectionPorts): PurgeStep {
  return async (namespaceId) => {
    let documents = 0;
    const collections = await drain<CollectionRecord>(
      ports.store,
      COLLECTIONS_TABLE,
      { namespace_id: namespaceId },
      async (record) => {
        const removed = await removeCollectionData(ports, record, "namespace_deleted");
        if (removed.ok) documents += removed.value;
        return removed;
      },
    );
    return collections.ok ? ok({ collections: collections.value, documents }) : collections;
  };
}
