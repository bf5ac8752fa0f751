import type { Caller } from "@strata/access";
import { type AppError, ok, type Result } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { DOCUMENTS_TABLE, type DocumentRecord, type Tier } from "../documents/tables.js";
import type { TierPorts } from "./ports.js";

export interface CollectionTierStats {
  readonly collectionId: string;
  readonly tier: Tier;
  readonly documents: number;
  /** Raw float32 bytes of the documents' vectors in this tier (0 for archive). */
  readonly vectorBytes: number;
}

const PAGE = 1000;

/**
 * Documents and vector bytes per tier per collection, from the records (the pointer is the truth;
 * a vector's bytes follow from its feature's dimensions). Pages through the namespace's documents.
 */
export async function tierStats(
  ports: Pick<TierPorts, "store">,
  caller: Caller,
  namespaceId: string,
): Promise<Result<CollectionTierStats[], AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const collections = await ports.store
    .table<CollectionRecord>(COLLECTIONS_TABLE)
    .find({ where: { namespace_id: namespace.value.id } });
  const stats = new Map<
    string,
    { collectionId: string; tier: Tier; documents: number; vectorBytes: number }
  >();
  for (const { record: collection } of collections) {
    const bytesOf = new Map(collection.features.map((f) => [f.feature_uri, f.dimensions * 4]));
    let after = "";
    for (;;) {
      const page = await ports.store.table<DocumentRecord>(DOCUMENTS_TABLE).find({
        where: { collection_id: collection.id, id: { $gt: after } },
        orderBy: [{ field: "id", direction: "asc" }],
        limit: PAGE,
      });
      for (const { record } of page) {
        const key = `${collection.id}\0${record.tier}`;
        const entry = stats.get(key) ?? {
          collectionId: collection.id,
          tier: record.tier,
          documents: 0,
          vectorBytes: 0,
        };
        entry.documents += 1;
        if (record.tier !== "archive")
          for (const uri of record.feature_uris) entry.vectorBytes += bytesOf.get(uri) ?? 0;
        stats.set(key, entry);
      }
      const last = page[page.length - 1];
      if (last === undefined || page.length < PAGE) break;
      after = last.record.id;
    }
  }
  return ok([...stats.values()]);
}
