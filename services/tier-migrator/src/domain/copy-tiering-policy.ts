import { insertOnce } from "@strata/docstore";
import { cloneIdOf } from "@strata/ids";
import type { TieringPorts } from "./ports.js";
import { POLICIES_TABLE, type PolicyRecord } from "./tables.js";

/** A namespace.cloned event as tier-migrator reads it. */
export interface PolicyClone {
  readonly organizationId: string;
  readonly sourceNamespaceId: string;
  /** The clone. */
  readonly namespaceId: string;
}

/**
 * Copies the source namespace's tiering policy to its clone (ADR 0030): the same thresholds, and
 * its collection narrowing naming the clone's copies of those collections. The clone's statistics
 * start empty and unreconciled: the next sweep reads the clone's placements (copied with their
 * tiers by the namespace service) before it moves anything, and the clone's accesses count from
 * the copy (ADR 0046), so nothing is demoted as idle before its threshold has passed since then.
 * A policy the clone has already (this copy, written before a redelivery, or one a user set on the
 * clone) is kept.
 */
export async function copyTieringPolicy(
  ports: Pick<TieringPorts, "store" | "clock">,
  clone: PolicyClone,
): Promise<{ readonly policies: number; readonly present: number }> {
  const table = ports.store.table<PolicyRecord>(POLICIES_TABLE);
  const source = await table.get(clone.sourceNamespaceId);
  if (source === undefined || source.record.organization_id !== clone.organizationId) {
    return { policies: 0, present: 0 };
  }
  const copy: PolicyRecord = {
    ...source.record,
    id: clone.namespaceId,
    organization_id: clone.organizationId,
    collection_ids: source.record.collection_ids.map((id) => cloneIdOf("collection", clone, id)),
    updated_at: ports.clock().toISOString(),
    reconciled_at: null,
    accesses_counted_since: ports.clock().toISOString(),
  };
  const outcome = await insertOnce(table, copy);
  return outcome === "inserted" ? { policies: 1, present: 0 } : { policies: 0, present: 1 };
}
