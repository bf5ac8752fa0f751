import type { Result } from "@strata/errors";

/**
 * DocStore: JSON records in named tables (a SQLite table, a MongoDB collection). Every record has a
 * string `id`; the store keeps a version number per record for compare-and-set updates.
 * One contract suite (`docstore.contract.ts`) runs against every adapter.
 */
export interface StoredRecord {
  readonly id: string;
}

export type Scalar = string | number | boolean | null;

/** Conditions on one field. Field names are dotted paths into the record ("metadata.year"). */
export interface FieldOperators {
  readonly $eq?: Scalar;
  readonly $ne?: Scalar;
  readonly $gt?: string | number;
  readonly $gte?: string | number;
  readonly $lt?: string | number;
  readonly $lte?: string | number;
  readonly $in?: readonly Scalar[];
  readonly $nin?: readonly Scalar[];
  /** true: the field is present and not null; false: absent or null. */
  readonly $exists?: boolean;
  /** The field is an array that holds this value. */
  readonly $contains?: Scalar;
  /** The field is an array that holds at least one of these values (an empty list matches nothing). */
  readonly $containsAny?: readonly Scalar[];
}

/**
 * A query: every listed field must match (AND); `$and`, `$or` and `$not` combine sub-queries.
 * A bare scalar means equality. Comparing a field with a value of another type never matches.
 */
export type Where = {
  readonly $and?: readonly Where[];
  readonly $or?: readonly Where[];
  readonly $not?: Where;
} & { readonly [field: string]: Scalar | FieldOperators | readonly Where[] | Where | undefined };

export interface OrderBy {
  readonly field: string;
  readonly direction: "asc" | "desc";
}

export interface FindOptions {
  readonly where?: Where;
  /** Ties are always broken by `id` ascending, so pages are stable. */
  readonly orderBy?: readonly OrderBy[];
  readonly limit?: number;
}

export interface Versioned<T extends StoredRecord> {
  readonly record: T;
  /** Starts at 1 on insert and grows by one on each successful write. */
  readonly version: number;
}

export type InsertError = "already_exists";
export type ReplaceError = "not_found" | "version_conflict" | "already_exists";

export interface Table<T extends StoredRecord> {
  get(id: string): Promise<Versioned<T> | undefined>;
  /** Fails with already_exists when the id, or a unique index's fields, are taken. */
  insert(record: T): Promise<Result<Versioned<T>, InsertError>>;
  /** Compare-and-set: writes only when the stored version still equals `expectedVersion`. */
  replace(record: T, expectedVersion: number): Promise<Result<Versioned<T>, ReplaceError>>;
  /** Deletes; with `expectedVersion`, only when the version still matches. True when a record went. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
  find(options?: FindOptions): Promise<Versioned<T>[]>;
  count(where?: Where): Promise<number>;
  /** The ids of every matching record, ascending: what `find` answers without reading the records. */
  ids(where?: Where): Promise<string[]>;
  /** Deletes every matching record and says how many went. */
  deleteMany(where: Where): Promise<number>;
}

export interface IndexSpec {
  readonly fields: readonly string[];
  readonly unique?: boolean;
}

export interface TableSpec {
  readonly name: string;
  readonly indexes?: readonly IndexSpec[];
}

export interface DocStoreSession {
  table<T extends StoredRecord>(name: string): Table<T>;
}

export interface DocStore extends DocStoreSession {
  /** Creates the table and its indexes when missing; safe to call on every start. */
  ensureTable(spec: TableSpec): Promise<void>;
  /**
   * Runs `work` in one transaction. It commits when `work` returns an ok Result, rolls back when it
   * returns an error Result (and passes that result on), and rolls back and rethrows when it throws.
   * Writes in the transaction are invisible to other callers until it commits.
   */
  transaction<T, E>(work: (tx: DocStoreSession) => Promise<Result<T, E>>): Promise<Result<T, E>>;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
