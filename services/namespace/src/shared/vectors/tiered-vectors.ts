import { ok } from "@strata/errors";
import type { CollectionRecord } from "../../modules/collections/tables.js";
import type { StoredVector, Tier } from "../../modules/documents/tables.js";
import type { DocumentVectors } from "./document-vectors.js";
import { numbersOf } from "./numbers.js";
import type { TierStores } from "./tier-vectors.js";

/**
 * The document vectors of every tier behind the hot tier's interface: writes, staging and search
 * stay hot (a write lands hot, ADR 0023), while reads and removals go to the tier the caller names
 * (the document's pointer), and a collection's or namespace's removal reaches every tier.
 */
export function tieredVectors<V extends DocumentVectors>(hot: V, tiers: TierStores): V {
  return {
    ...hot,
    async read(
      collection: CollectionRecord,
      documentId: string,
      featureUris: readonly string[],
      tier: Tier = "hot",
    ) {
      if (tier === "hot") return hot.read(collection, documentId, featureUris);
      if (tier === "archive") return ok([]);
      const found = await tiers[tier].read(collection, [documentId]);
      if (!found.ok) return found;
      const vectors = found.value[0]?.vectors ?? [];
      // A document's vectors as its reads answer them (number arrays), in the order asked.
      return ok(
        featureUris.flatMap((uri) =>
          vectors
            .filter((v) => v.feature_uri === uri)
            .map((v): StoredVector => ({ feature_uri: v.feature_uri, vector: numbersOf(v.vector) })),
        ),
      );
    },
    async remove(
      collection: CollectionRecord,
      documentIds: readonly string[],
      featureUris: readonly string[],
      tier: Tier = "hot",
    ) {
      if (tier === "hot") return hot.remove(collection, documentIds, featureUris);
      if (tier === "archive") return ok(undefined);
      // A warm or cold copy is one per document: a removal takes the whole document.
      return tiers[tier].remove(collection, documentIds);
    },
    async removeCollection(collection: CollectionRecord) {
      const removed = await hot.removeCollection(collection);
      if (!removed.ok) return removed;
      for (const tier of [tiers.warm, tiers.cold]) {
        const done = await tier.removeCollection(collection);
        if (!done.ok) return done;
      }
      return ok(undefined);
    },
  };
}
