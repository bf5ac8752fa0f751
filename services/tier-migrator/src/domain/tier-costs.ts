import type { Caller } from "@strata/access";
import { TIERS, type TierName } from "@strata/contracts";
import { type AppError, err, ok, type Result } from "@strata/errors";
import type { TieringPorts, TierStat } from "./ports.js";
import { checkNamespace } from "./scope.js";

/** Prices are per GB-month with GB = 2^30 bytes, as AWS bills storage. */
const BYTES_PER_GB = 2 ** 30;

export interface CollectionTierCost extends TierStat {
  readonly monthlyCostUsd: number;
}

export interface TierTotal {
  readonly tier: TierName;
  readonly documents: number;
  readonly vectorBytes: number;
  readonly pricePerGbMonthUsd: number;
  readonly monthlyCostUsd: number;
}

export interface TierCosts {
  readonly collections: readonly CollectionTierCost[];
  readonly tiers: readonly TierTotal[];
  readonly monthlyCostUsd: number;
}

/** What each tier of the namespace holds (the namespace service's figures) and what it costs a month. */
export async function tierCosts(
  ports: TieringPorts,
  caller: Caller,
  namespaceId: string,
): Promise<Result<TierCosts, AppError>> {
  const denied = await checkNamespace(ports, caller, namespaceId, "read");
  if (denied !== undefined) return err(denied);
  const stats = await ports.mover.tierStats(caller.organizationId, namespaceId);
  if (!stats.ok) return stats;
  return ok(costsOf(stats.value, ports.settings.prices));
}

export function costsOf(stats: readonly TierStat[], prices: Readonly<Record<TierName, number>>): TierCosts {
  const cost = (tier: TierName, bytes: number) => round((bytes / BYTES_PER_GB) * prices[tier]);
  const collections = stats.map((s) => ({ ...s, monthlyCostUsd: cost(s.tier, s.vectorBytes) }));
  const tiers = TIERS.map((tier) => {
    const of = stats.filter((s) => s.tier === tier);
    const vectorBytes = of.reduce((sum, s) => sum + s.vectorBytes, 0);
    return {
      tier,
      documents: of.reduce((sum, s) => sum + s.documents, 0),
      vectorBytes,
      pricePerGbMonthUsd: prices[tier],
      monthlyCostUsd: cost(tier, vectorBytes),
    };
  });
  return { collections, tiers, monthlyCostUsd: round(tiers.reduce((sum, t) => sum + t.monthlyCostUsd, 0)) };
}

/** Cents are too coarse for small namespaces: micro-dollars. */
function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
