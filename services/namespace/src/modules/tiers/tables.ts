import type { TierName } from "@strata/contracts";
import type { StoredRecord, TableSpec } from "@strata/docstore";

/**
 * Moves in progress (ADR 0023): written before the first copy, deleted after the last source
 * delete. A record left here by a crash names exactly the documents that may have a copy in a tier
 * their pointer does not name; the start-up reconcile removes those copies.
 */
export const TIER_MOVES_TABLE = "tier_moves";

export const TIER_TABLE_SPECS: readonly TableSpec[] = [{ name: TIER_MOVES_TABLE }];

export interface JournalledMove {
  readonly collection_id: string;
  readonly document_id: string;
  readonly from_tier: TierName;
  readonly to_tier: TierName;
}

export interface TierMoveRecord extends StoredRecord {
  readonly id: string;
  readonly namespace_id: string;
  readonly moves: readonly JournalledMove[];
  readonly started_at: string;
}
