import type { StoredRecord, TableSpec } from "@strata/docstore";

export const NAMESPACE_CLONES_TABLE = "namespace_clones";

export const CLONE_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: NAMESPACE_CLONES_TABLE,
    indexes: [{ fields: ["namespace_id"] }, { fields: ["status"] }],
  },
];

export type CloneStatus = "cloning" | "ready" | "failed" | "cancelled";

/** One clone task (tsk_…): what it copies into which namespace, and how far it got. */
export interface CloneRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly source_namespace_id: string;
  /** The clone. */
  readonly namespace_id: string;
  readonly namespace_name: string;
  readonly include_webhooks: boolean;
  readonly status: CloneStatus;
  /** What was copied, per kind (`collections`, `documents`, `hot_vectors`, `objects`, `bytes` …). */
  readonly progress: Readonly<Record<string, number>>;
  /** Why it failed or was cancelled. */
  readonly reason: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}
