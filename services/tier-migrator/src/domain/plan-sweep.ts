import type { TierName } from "@strata/contracts";
import type { Where } from "@strata/docstore";
import { accessesWithin } from "./access-aggregator.js";
import type { PolicyFields } from "./policy.js";
import type { TieringPorts } from "./ports.js";
import { ACCESS_TABLE, type AccessRecord, type Direction } from "./tables.js";

export interface PlannedMove {
  readonly collectionId: string;
  readonly documentId: string;
  readonly direction: Direction;
}

const DAY_MS = 86_400_000;

export const DIRECTION_TIERS: Readonly<Record<Direction, { from: TierName; to: TierName }>> = {
  hot_to_warm: { from: "hot", to: "warm" },
  warm_to_cold: { from: "warm", to: "cold" },
  cold_to_archive: { from: "cold", to: "archive" },
  warm_to_hot: { from: "warm", to: "hot" },
  cold_to_hot: { from: "cold", to: "hot" },
};

/**
 * What the policy moves now: promotions of warm documents accessed often enough in the window,
 * then demotions of documents unread for longer than their tier's threshold, counted from no earlier
 * than `countedSince` (when the namespace's accesses began to be counted). A document promoted is
 * never also demoted. At most `limit` moves; the next sweep takes the rest.
 */
export async function planSweep(
  ports: TieringPorts,
  namespaceId: string,
  policy: PolicyFields,
  limit: number,
  countedSince?: string,
): Promise<PlannedMove[]> {
  const now = ports.clock();
  const table = ports.store.table<AccessRecord>(ACCESS_TABLE);
  const scope: Where =
    policy.collection_ids.length === 0
      ? { namespace_id: namespaceId }
      : { namespace_id: namespaceId, collection_id: { $in: [...policy.collection_ids] } };
  const planned: PlannedMove[] = [];
  const promoted = new Set<string>();
  const take = (row: AccessRecord, direction: Direction) => {
    planned.push({ collectionId: row.collection_id, documentId: row.document_id, direction });
  };
  if (policy.promote_after_accesses !== null && policy.promote_window_hours !== null) {
    const windowStart = new Date(now.getTime() - policy.promote_window_hours * 3_600_000).toISOString();
    const recent = await table.find({
      where: { ...scope, tier: "warm", last_accessed_at: { $gte: windowStart.slice(0, 13) } },
    });
    for (const { record } of recent) {
      if (planned.length >= limit) return planned;
      if (accessesWithin(record, now, policy.promote_window_hours) >= policy.promote_after_accesses) {
        take(record, "warm_to_hot");
        promoted.add(record.id);
      }
    }
  }
  const demotions: [Direction, number | null][] = [
    ["hot_to_warm", policy.hot_to_warm_after_days],
    ["warm_to_cold", policy.warm_to_cold_after_days],
    ["cold_to_archive", policy.cold_to_archive_after_days],
  ];
  for (const [direction, days] of demotions) {
    if (days === null) continue;
    const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
    // Reads before the policy were not counted (ADR 0046): none has been idle longer than that.
    if (countedSince !== undefined && countedSince > cutoff) continue;
    const idle = await table.find({
      where: { ...scope, tier: DIRECTION_TIERS[direction].from, idle_since: { $lt: cutoff } },
      orderBy: [{ field: "idle_since", direction: "asc" }],
      limit: limit - planned.length + promoted.size,
    });
    for (const { record } of idle) {
      if (planned.length >= limit) return planned;
      if (!promoted.has(record.id)) take(record, direction);
    }
  }
  return planned;
}
