import { ok } from "@strata/errors";
import { buildEvent } from "@strata/events";
import { DOCUMENTS_TABLE, type DocumentRecord, type MoveReason } from "../documents/tables.js";
import type { NamespaceRecord } from "../namespaces/tables.js";
import { withMove } from "./lineage.js";
import type { PendingMove } from "./move-plan.js";
import type { TierPorts } from "./ports.js";

/**
 * One transaction: each verified move's pointer is compare-and-set on the version the move read
 * (a write that came in between wins: that move is not made), its lineage gets the move, and one
 * tier.migrated event lists every move made. From its commit on, the target tier is the truth.
 */
export async function flipPointers(
  ports: Pick<TierPorts, "store" | "appendEvent" | "eventsCommitted" | "clock">,
  namespace: NamespaceRecord,
  moves: readonly PendingMove[],
  reason: MoveReason,
): Promise<{ readonly moved: ReadonlySet<PendingMove> }> {
  if (moves.length === 0) return { moved: new Set() };
  const now = ports.clock();
  const at = now.toISOString();
  const result = await ports.store.transaction<Set<PendingMove>, never>(async (tx) => {
    const moved = new Set<PendingMove>();
    const table = tx.table<DocumentRecord>(DOCUMENTS_TABLE);
    for (const move of moves) {
      const { record, version } = move.current;
      const next: DocumentRecord = {
        ...record,
        tier: move.to,
        tier_changed_at: at,
        tier_lineage: withMove(record, move.to, at, reason),
      };
      const replaced = await table.replace(next, version);
      if (replaced.ok) moved.add(move);
    }
    if (moved.size > 0) {
      await ports.appendEvent(
        tx,
        buildEvent(
          "tier.migrated",
          {
            service: "namespace",
            organizationId: namespace.organization_id,
            namespaceId: namespace.id,
            subject: namespace.id,
            time: now,
          },
          {
            namespace_id: namespace.id,
            organization_id: namespace.organization_id,
            reason,
            moved_at: at,
            moves: [...moved].map((m) => ({
              collection_id: m.collection.id,
              document_id: m.current.record.document_id,
              from_tier: m.current.record.tier,
              to_tier: m.to,
            })),
          },
        ),
      );
    }
    return ok(moved);
  });
  if (result.ok && result.value.size > 0) ports.eventsCommitted();
  return { moved: result.ok ? result.value : new Set() };
}
