import type { MetricName } from "@strata/contracts";
import type { StoredRecord, TableSpec } from "@strata/docstore";
import type { JsonObject } from "../../shared/json-value.js";

export const COLLECTIONS_TABLE = "collections";

export const COLLECTION_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: COLLECTIONS_TABLE,
    indexes: [
      // Unique per namespace; a collection being deleted has a null name, which frees it at once.
      { fields: ["namespace_id", "collection_name"], unique: true },
      { fields: ["namespace_id", "created_at"] },
    ],
  },
];

export type Metric = MetricName;

export interface FeatureRecord {
  /** Always in the canonical strata:// form. */
  readonly feature_uri: string;
  readonly dimensions: number;
  readonly metric: Metric;
}

export interface CollectionRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  /** Null while the collection is being deleted. */
  readonly collection_name: string | null;
  readonly description: string;
  readonly features: readonly FeatureRecord[];
  readonly metadata_schema: JsonObject | null;
  /** Grows by one on every schema change: compiled validators are cached per (id, version). */
  readonly schema_version: number;
  /** Dotted paths inside metadata that list filters may use (as `metadata.<path>`). */
  readonly indexed_fields: readonly string[];
  readonly state: "active" | "deleting";
  /** The name the collection had before deletion began (what the delete call answers). */
  readonly deleting_name?: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The collection's name as users knew it, also while it is being deleted. */
export function displayName(collection: CollectionRecord): string {
  return collection.collection_name ?? collection.deleting_name ?? "";
}
