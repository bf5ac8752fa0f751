import { type AppError, ok, type Result } from "@strata/errors";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey } from "../documents/tables.js";
import { isVectorTier } from "./copy-moves.js";
import type { TierPorts } from "./ports.js";
import { TIER_MOVES_TABLE, type TierMoveRecord } from "./tables.js";

/**
 * Finishes the moves a crash (or a failed delete) left journalled: for each journalled document,
 * every copy in a tier of the move that its pointer does not name is removed (both copies when the
 * document is gone). Run at start, before the gRPC server; safe to run again at any time the
 * documents' turns are held, since it only removes copies the pointer disowns.
 */
export async function reconcileMoves(
  ports: Pick<TierPorts, "store" | "tiers">,
): Promise<Result<{ readonly journals: number; readonly removed: number }, AppError>> {
  const journals = await ports.store.table<TierMoveRecord>(TIER_MOVES_TABLE).find({});
  let removed = 0;
  for (const { record: journal } of journals) {
    for (const move of journal.moves) {
      const collection = await ports.store.table<CollectionRecord>(COLLECTIONS_TABLE).get(move.collection_id);
      // A collection already gone took its vectors in every tier with it.
      if (collection === undefined) continue;
      const doc = await ports.store
        .table<DocumentRecord>(DOCUMENTS_TABLE)
        .get(documentKey(move.collection_id, move.document_id));
      for (const tier of new Set([move.from_tier, move.to_tier])) {
        if (!isVectorTier(tier) || doc?.record.tier === tier) continue;
        const done = await ports.tiers[tier].remove(collection.record, [move.document_id]);
        if (!done.ok) return done;
        removed += 1;
      }
    }
    await ports.store.table(TIER_MOVES_TABLE).delete(journal.id);
  }
  return ok({ journals: journals.length, removed });
}
