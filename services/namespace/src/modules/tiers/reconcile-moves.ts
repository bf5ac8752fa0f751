import { type AppError, ok, type Result } from "@strata/errors";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey } from "../documents/tables.js";
import { isVectorTier } from "./copy-moves.js";
import type { TierPorts } from "./ports.js";
import { TIER_MOVES_TABLE, type TierMoveRecord } from "./tables.js";

/** How often a running namespace service finishes journalled moves, and how old a journal must be. */
export const RECONCILE_EVERY_MS = 60_000;

/**
 * Finishes the moves a crash (or a failed delete) left journalled: for each journalled document,
 * every copy in a tier of the move that its pointer does not name is removed (both copies when the
 * document is gone), one remove per (collection, tier). Each journal is handled in its documents'
 * turns, so a move still running finishes (and deletes its journal) first: safe at start and
 * periodically while moves run. `startedBefore` leaves younger journals alone (a running move's).
 */
export async function reconcileMoves(
  ports: Pick<TierPorts, "store" | "tiers" | "vectors">,
  startedBefore?: Date,
): Promise<Result<{ readonly journals: number; readonly removed: number }, AppError>> {
  const journals = (await ports.store.table<TierMoveRecord>(TIER_MOVES_TABLE).find({})).filter(
    (j) => startedBefore === undefined || j.record.started_at < startedBefore.toISOString(),
  );
  let removed = 0;
  for (const { record: journal } of journals) {
    const collectionIds = [...new Set(journal.moves.map((m) => m.collection_id))].sort();
    const done = await inTurnsOf(ports, journal, collectionIds, () => finish(ports, journal));
    if (!done.ok) return done;
    removed += done.value;
  }
  return ok({ journals: journals.length, removed });
}

/** Removes the disowned copies of one journal (if it is still there), then the journal. */
async function finish(
  ports: Pick<TierPorts, "store" | "tiers">,
  journal: TierMoveRecord,
): Promise<Result<number, AppError>> {
  if ((await ports.store.table<TierMoveRecord>(TIER_MOVES_TABLE).get(journal.id)) === undefined) return ok(0);
  const keys = journal.moves.map((m) => documentKey(m.collection_id, m.document_id));
  const docs = new Map(
    (await ports.store.table<DocumentRecord>(DOCUMENTS_TABLE).find({ where: { id: { $in: keys } } })).map(
      (d) => [d.record.id, d.record],
    ),
  );
  const groups = new Map<string, { collectionId: string; tier: DocumentRecord["tier"]; ids: Set<string> }>();
  for (const move of journal.moves) {
    const doc = docs.get(documentKey(move.collection_id, move.document_id));
    for (const tier of new Set([move.from_tier, move.to_tier])) {
      if (!isVectorTier(tier) || doc?.tier === tier) continue;
      const key = `${move.collection_id}\0${tier}`;
      const group = groups.get(key) ?? { collectionId: move.collection_id, tier, ids: new Set() };
      group.ids.add(move.document_id);
      groups.set(key, group);
    }
  }
  let removed = 0;
  for (const { collectionId, tier, ids } of groups.values()) {
    const collection = await ports.store.table<CollectionRecord>(COLLECTIONS_TABLE).get(collectionId);
    // A collection already gone took its vectors in every tier with it.
    if (collection === undefined || !isVectorTier(tier)) continue;
    const done = await ports.tiers[tier].remove(collection.record, [...ids]);
    if (!done.ok) return done;
    removed += ids.size;
  }
  await ports.store.table(TIER_MOVES_TABLE).delete(journal.id);
  return ok(removed);
}

function inTurnsOf<T>(
  ports: Pick<TierPorts, "vectors">,
  journal: TierMoveRecord,
  collectionIds: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  const [first, ...rest] = collectionIds;
  if (first === undefined) return work();
  const ids = journal.moves.filter((m) => m.collection_id === first).map((m) => m.document_id);
  return ports.vectors.exclusive(first, ids, () => inTurnsOf(ports, journal, rest, work));
}
