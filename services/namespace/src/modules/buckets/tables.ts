import type { StoredRecord, TableSpec } from "@strata/docstore";

export const BUCKETS_TABLE = "buckets";
export const BUCKET_OBJECTS_TABLE = "bucket_objects";

export const BUCKET_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: BUCKETS_TABLE,
    indexes: [
      // A bucket being deleted has a null name, so its name is free at once.
      { fields: ["namespace_id", "bucket_name"], unique: true },
      { fields: ["namespace_id", "created_at"] },
    ],
  },
  {
    name: BUCKET_OBJECTS_TABLE,
    // One record per key: replacing an object swaps the record in one transaction.
    indexes: [{ fields: ["bucket_id", "key"], unique: true }],
  },
];

export interface BucketRecord extends StoredRecord {
  /** bkt_… */
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  /** Null while the bucket is being deleted. */
  readonly bucket_name: string | null;
  readonly description: string;
  /** `deleting`: hidden from reads and closed to uploads while its objects go. */
  readonly state: "active" | "deleting";
  /** The name it had, kept while it is being deleted. */
  readonly deleting_name?: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface ObjectRecord extends StoredRecord {
  /** obj_…, new for every upload; never shown (objects are named by bucket and key). */
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly bucket_id: string;
  readonly key: string;
  readonly size: number;
  readonly content_type: string;
  /** Lowercase hex. */
  readonly sha256: string;
  readonly etag: string;
  /** Where the bytes are in the ObjectStore (see object-key.ts). */
  readonly storage_key: string;
  readonly created_at: string;
}
