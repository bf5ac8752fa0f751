import type { StoredRecord, TableSpec } from "@strata/docstore";

export const NAMESPACES_TABLE = "namespaces";

export const NAMESPACE_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: NAMESPACES_TABLE,
    indexes: [
      // Names are unique per organization; the index (not a read-then-write) holds across replicas.
      { fields: ["organization_id", "namespace_name"], unique: true },
      { fields: ["organization_id", "created_at"] },
    ],
  },
];

export interface NamespaceRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_name: string;
  readonly description: string;
  readonly created_at: string;
  readonly updated_at: string;
  /** Present while the namespace is a clone being copied (ADR 0024): every request answers 409. */
  readonly clone_status?: "cloning";
}
