import { ok } from "@strata/errors";
import { newAccessRecord } from "./access-rows.js";
import type { TieringPorts } from "./ports.js";
import { ACCESS_TABLE, type AccessRecord, accessId, POLICIES_TABLE, type PolicyRecord } from "./tables.js";

/**
 * Brings the statistics in line with the namespace service's placements: seeds documents whose
 * document.created this service never saw (created before it ran) from their creation time, takes
 * the namespace's word on each tier, and forgets documents that are gone. False when the listing
 * failed part-way (nothing is forgotten then).
 */
export async function reconcilePlacements(
  ports: TieringPorts,
  organizationId: string,
  namespaceId: string,
): Promise<boolean> {
  const startedAt = new Date().toISOString();
  const table = ports.store.table<AccessRecord>(ACCESS_TABLE);
  const seen = new Set<string>();
  let pageToken = "";
  do {
    const page = await ports.mover.listPlacements(organizationId, namespaceId, pageToken);
    if (!page.ok) return false;
    await ports.store.transaction(async (tx) => {
      const rows = tx.table<AccessRecord>(ACCESS_TABLE);
      for (const placement of page.value.placements) {
        const key = { organizationId, namespaceId, ...placement };
        const id = accessId(namespaceId, placement.collectionId, placement.documentId);
        seen.add(id);
        const found = await rows.get(id);
        const changedAt = placement.tierChangedAt.toISOString();
        if (found === undefined) {
          await rows.insert(
            newAccessRecord(key, placement.tier, placement.createdAt.toISOString(), changedAt),
          );
        } else if (found.record.tier !== placement.tier) {
          await rows.replace(
            { ...found.record, tier: placement.tier, tier_changed_at: changedAt },
            found.version,
          );
        }
      }
      return ok(undefined);
    });
    pageToken = page.value.nextPageToken;
  } while (pageToken !== "");
  const known = await table.find({ where: { namespace_id: namespaceId, created_at: { $lt: startedAt } } });
  for (const { record, version } of known) {
    if (!seen.has(record.id)) await table.delete(record.id, version);
  }
  const policies = ports.store.table<PolicyRecord>(POLICIES_TABLE);
  const policy = await policies.get(namespaceId);
  if (policy !== undefined) {
    await policies.replace({ ...policy.record, reconciled_at: ports.clock().toISOString() }, policy.version);
  }
  return true;
}
