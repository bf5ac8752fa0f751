import { type AppError, ok, type Result } from "@strata/errors";
import type { VectorHit, VectorSearch } from "../../shared/vectors/document-vectors.js";
import type { VectorTier } from "../../shared/vectors/tier-vectors.js";
import type { SearchPorts } from "./ports.js";

export interface TierHit extends VectorHit {
  readonly tier: VectorTier;
}

/**
 * One query in every tier that can hold the feature, in parallel: hot and warm by their indexes
 * (warm is skipped for a metric it cannot hold: no document of it is there), cold by a scan when
 * asked. Hits merged best first (every tier scores exactly as `exactScore`, so scores compare).
 */
export async function searchTiers(
  ports: SearchPorts,
  query: VectorSearch,
  includeCold: boolean,
): Promise<Result<{ hits: TierHit[]; coldScanned: number | undefined }, AppError>> {
  const [hot, warm, cold] = await Promise.all([
    ports.vectors.search(query),
    ports.tiers.warm.holds(query.feature.metric) ? ports.tiers.warm.search(query) : Promise.resolve(ok([])),
    includeCold ? ports.tiers.cold.scanSearch(query) : Promise.resolve(undefined),
  ]);
  if (!hot.ok) return hot;
  if (!warm.ok) return warm;
  if (cold !== undefined && !cold.ok) return cold;
  const hits: TierHit[] = [];
  tagged(hot.value, "hot", hits);
  tagged(warm.value, "warm", hits);
  if (cold !== undefined) tagged(cold.value.hits, "cold", hits);
  hits.sort((a, b) => b.score - a.score);
  return ok({ hits, coldScanned: cold?.value.scanned });
}

/** Appends a tier's hits, each named with its tier (a loop: this runs for every search). */
function tagged(from: readonly VectorHit[], tier: VectorTier, into: TierHit[]): void {
  for (const h of from) {
    into.push({ collectionId: h.collectionId, documentId: h.documentId, score: h.score, tier });
  }
}
