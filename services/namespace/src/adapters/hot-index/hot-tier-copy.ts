import type { AppError } from "@strata/errors";
import { ok, type Result } from "@strata/errors";
import { type HotIndex, type HotSpace, spaceKey } from "@strata/hotindex";
import type { TierCopy } from "../../shared/vectors/tier-vectors.js";
import { spaceOf } from "../tiers/index-tier-store.js";

/**
 * A clone's hot copy (ADR 0037): each space of the source's features copied whole by the index
 * (`copySpace`: one sequential log write, the graph kept), its records moved to the clone's
 * collections with the clone's payloads. A space is shared by every collection of the namespace
 * with that feature, so it is copied once with every collection's documents. Answers the vectors
 * copied, or "unsupported" when the index copies no space in bulk (Qdrant).
 */
export function copyHotDocuments(
  index: Pick<HotIndex, "copySpace">,
): (copy: TierCopy) => Promise<Result<number | "unsupported", AppError>> {
  return async ({ collections }) => {
    const spaces = new Map<string, { source: HotSpace; target: HotSpace }>();
    for (const { source, copy } of collections)
      for (const feature of source.features) {
        const from = spaceOf(source.namespace_id, feature);
        spaces.set(spaceKey(from), { source: from, target: spaceOf(copy.namespace_id, feature) });
      }
    const bySource = new Map(collections.map((c) => [c.source.id, c]));
    let copied = 0;
    for (const { source, target } of spaces.values()) {
      const done = await index.copySpace(source, target, (ref) => {
        const collection = bySource.get(ref.collectionId);
        const payload = collection?.payloads.get(ref.id);
        if (collection === undefined || payload === undefined) return undefined;
        return { collectionId: collection.copy.id, payload };
      });
      if (!done.ok) return done;
      if (done.value === "unsupported") return ok("unsupported");
      copied += done.value.copied;
    }
    return ok(copied);
  };
}
