import type { StoredRecord, TableSpec } from "@strata/docstore";

export const TAXONOMIES_TABLE = "taxonomies";

export const TAXONOMY_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: TAXONOMIES_TABLE,
    indexes: [
      { fields: ["namespace_id", "taxonomy_name"], unique: true },
      { fields: ["namespace_id", "created_at"] },
    ],
  },
];

export interface TaxonomyNodeRecord {
  readonly label: string;
  /** The parent's label; null for a root. */
  readonly parent: string | null;
}

export interface TaxonomyRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly taxonomy_name: string;
  readonly description: string;
  readonly nodes: readonly TaxonomyNodeRecord[];
  readonly created_at: string;
  readonly updated_at: string;
}
