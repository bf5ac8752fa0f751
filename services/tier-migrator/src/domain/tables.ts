import type { TierName } from "@strata/contracts";
import type { StoredRecord, TableSpec } from "@strata/docstore";

export const POLICIES_TABLE = "tiering_policies";
export const ACCESS_TABLE = "document_access";
export const JOBS_TABLE = "sweep_jobs";
export const MOVES_TABLE = "sweep_moves";
export const LEASES_TABLE = "sweep_leases";

export const TIERING_TABLE_SPECS: readonly TableSpec[] = [
  { name: POLICIES_TABLE, indexes: [{ fields: ["organization_id"] }] },
  {
    name: ACCESS_TABLE,
    indexes: [
      // The sweep's question: which documents of a tier have been idle since before a cutoff.
      { fields: ["namespace_id", "tier", "idle_since"] },
      // Promotion: which documents of a tier were accessed recently.
      { fields: ["namespace_id", "tier", "last_accessed_at"] },
    ],
  },
  {
    name: JOBS_TABLE,
    indexes: [{ fields: ["status", "namespace_id"] }, { fields: ["namespace_id", "started_at"] }],
  },
  { name: MOVES_TABLE, indexes: [{ fields: ["job_id", "state", "seq"] }, { fields: ["namespace_id"] }] },
  { name: LEASES_TABLE },
];

/** Off (null) thresholds switch that move off. No record: nothing moves (DESIGN §8). */
export interface PolicyRecord extends StoredRecord {
  /** The namespace id. */
  readonly id: string;
  readonly organization_id: string;
  readonly hot_to_warm_after_days: number | null;
  readonly warm_to_cold_after_days: number | null;
  readonly cold_to_archive_after_days: number | null;
  readonly promote_after_accesses: number | null;
  readonly promote_window_hours: number | null;
  /** Empty: every collection. */
  readonly collection_ids: readonly string[];
  readonly updated_at: string;
  /** When the sweep last reconciled its statistics with the namespace's placements; null: never. */
  readonly reconciled_at: string | null;
  /**
   * Since when the namespace's accesses are counted: the policy's creation (ADR 0046). Absent on
   * policies set before then, when accesses were counted in every namespace.
   */
  readonly accesses_counted_since?: string;
}

/** Accesses counted in one clock hour (ISO time of the hour's start). */
export interface HourCount {
  readonly hour: string;
  readonly count: number;
}

/** What tier-migrator knows of one document: where it is and how it has been read. */
export interface AccessRecord extends StoredRecord {
  /** `<namespace_id>/<collection_id>/<document_id>`. */
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly collection_id: string;
  readonly document_id: string;
  readonly tier: TierName;
  readonly created_at: string;
  readonly tier_changed_at: string;
  /** Null while never read or returned by a search. */
  readonly last_accessed_at: string | null;
  /** The later of creation and last access: unread since then. */
  readonly idle_since: string;
  readonly reads: number;
  readonly hits: number;
  /** Recent accesses per hour, kept for the longest promotion window there can be. */
  readonly hours: readonly HourCount[];
}

export type SweepStatus = "running" | "completed";
export type SweepTrigger = "scheduled" | "manual" | "read";

export const DIRECTIONS = [
  "hot_to_warm",
  "warm_to_cold",
  "cold_to_archive",
  "warm_to_hot",
  "cold_to_hot",
] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const OUTCOMES = ["moved", "unchanged", "conflict", "refused", "failed", "not_found"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type SweepCounts = Readonly<Record<Direction | Outcome | "pending", number>>;

export interface JobRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly status: SweepStatus;
  readonly trigger: SweepTrigger;
  readonly counts: SweepCounts;
  readonly started_at: string;
  readonly finished_at: string | null;
}

/** One planned move of a job: pending until MoveDocuments answered it. */
export interface MoveRecord extends StoredRecord {
  /** `<job_id>/<seq>`. */
  readonly id: string;
  readonly job_id: string;
  readonly namespace_id: string;
  readonly seq: number;
  readonly collection_id: string;
  readonly document_id: string;
  readonly direction: Direction;
  readonly state: "pending" | "done";
  readonly outcome: Outcome | null;
}

/** Who runs the sweeps of a namespace until when: one replica at a time. */
export interface LeaseRecord extends StoredRecord {
  /** The namespace id. */
  readonly id: string;
  readonly holder: string;
  readonly expires_at: string;
}

export function accessId(namespaceId: string, collectionId: string, documentId: string): string {
  return `${namespaceId}/${collectionId}/${documentId}`;
}
