import type { DocumentRecord, MoveReason, TierLineage } from "../documents/tables.js";

/** How many moves a document's lineage lists; older ones are only counted (the record stays small). */
export const LINEAGE_MOVES_KEPT = 8;

/** The document's tier lineage with one more move appended (its origin filled in on the first). */
export function withMove(
  doc: Pick<DocumentRecord, "tier" | "created_at" | "tier_lineage">,
  to: DocumentRecord["tier"],
  at: string,
  reason: MoveReason,
): TierLineage {
  const current: TierLineage = doc.tier_lineage ?? {
    // Every document is created hot (create and batches write to the hot index).
    origin: { tier: "hot", at: doc.created_at },
    moves: [],
    move_count: 0,
  };
  const moves = [...current.moves, { from: doc.tier, to, at, reason }];
  return {
    origin: current.origin,
    moves: moves.slice(-LINEAGE_MOVES_KEPT),
    move_count: current.move_count + 1,
  };
}
