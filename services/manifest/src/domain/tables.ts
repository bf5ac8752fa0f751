import type { StoredRecord, TableSpec } from "@strata/docstore";

export const MEMBERSHIP_TABLE = "manifest_members";
export const APPLIES_TABLE = "manifest_applies";
export const LOCKS_TABLE = "manifest_apply_locks";

export const MANIFEST_TABLE_SPECS: readonly TableSpec[] = [
  { name: MEMBERSHIP_TABLE, indexes: [{ fields: ["namespace_id", "section"] }] },
  { name: APPLIES_TABLE, indexes: [{ fields: ["namespace_id", "applied_at"] }] },
  { name: LOCKS_TABLE },
];

/** A resource an apply created: only these may ever be pruned. */
export interface MemberRecord extends StoredRecord {
  /** `<namespace id>/<section>/<name>`. */
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly section: string;
  readonly name: string;
  /** The resource's `protect` at the last apply that listed it: never deleted or replaced. */
  readonly protect: boolean;
  readonly apply_id: string;
}

/** One apply that changed something: what was asked and what was done. */
export interface ApplyRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly manifest_name: string;
  readonly plan_hash: string;
  /** The normalised manifest as JSON (secrets resolved are never stored: see redact). */
  readonly manifest_json: string;
  readonly plan_json: string;
  readonly applied_at: string;
}

/** The per-namespace apply lease: one holder at a time across replicas. */
export interface LockRecord extends StoredRecord {
  /** The namespace id. */
  readonly id: string;
  readonly holder: string;
  readonly expires_at: string;
}

export function memberId(namespaceId: string, section: string, name: string): string {
  return `${namespaceId}/${section}/${name}`;
}
