import { ok } from "@strata/errors";
import type { PurgeStep } from "../../shared/purge-step.js";
import type { TierPorts } from "./ports.js";
import { TIER_MOVES_TABLE } from "./tables.js";

/**
 * Drops a deleted namespace's warm and cold data and its move journals (the hot tier's spaces go
 * with the search module's step). Idempotent: dropping what is gone is a no-op.
 */
export function purgeTierVectors(ports: Pick<TierPorts, "tiers" | "store">): PurgeStep {
  return async (namespaceId) => {
    for (const tier of [ports.tiers.warm, ports.tiers.cold]) {
      const dropped = await tier.dropNamespace(namespaceId);
      if (!dropped.ok) return dropped;
    }
    const journals = await ports.store.table(TIER_MOVES_TABLE).deleteMany({ namespace_id: namespaceId });
    return ok({ tier_move_journals: journals });
  };
}
