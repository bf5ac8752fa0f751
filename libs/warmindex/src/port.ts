import type { AppError, Result } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import type { DocRef, Hit, HotRecord, HotSearch, HotSpace, Metric, StoredVector } from "@strata/hotindex";

/** A warm space is addressed exactly like a hot one: namespace, feature URI, dimensions, metric. */
export type WarmSpace = HotSpace;

export interface WarmSpaceStats {
  readonly space: WarmSpace;
  readonly count: number;
  readonly vectorBytes: number;
}

export interface WarmIndexStats {
  readonly spaces: readonly WarmSpaceStats[];
  readonly vectors: number;
  readonly vectorBytes: number;
  /** Memory this process holds for decoded index data (the embedded index's segment cache). */
  readonly cachedBytes?: number;
}

/**
 * The warm tier (ADR 0022): vectors kept in object storage (or S3 Vectors) and searched there, cheaper
 * and slower than the hot index. Same records, same filters, same scores as the hot index, so the
 * namespace service can merge hot and warm hits by score.
 */
export interface WarmIndex {
  /** Which metrics this adapter can hold (S3 Vectors: cosine and euclidean only). */
  supportsMetric(metric: Metric): boolean;
  /** Creates the space if needed; idempotent; a validation error when the metric is unsupported. */
  ensureSpace(space: WarmSpace): Promise<Result<void, AppError>>;
  /** Inserts or replaces by (collectionId, id). Durable and searchable when it resolves ok. */
  upsert(space: WarmSpace, records: readonly HotRecord[]): Promise<Result<void, AppError>>;
  delete(space: WarmSpace, refs: readonly DocRef[]): Promise<Result<number, AppError>>;
  deleteWhere(space: WarmSpace, where: { readonly collectionId: string }): Promise<Result<number, AppError>>;
  dropNamespace(namespaceId: string): Promise<Result<void, AppError>>;
  /** Same contract as HotIndex.search: filter applied inside, scores exactly as `exactScore`. */
  search(space: WarmSpace, query: HotSearch): Promise<Result<Hit[], AppError>>;
  get(space: WarmSpace, refs: readonly DocRef[]): Promise<Result<StoredVector[], AppError>>;
  count(
    space: WarmSpace,
    filter?: BoundFilterNode,
    collectionIds?: readonly string[],
  ): Promise<Result<number, AppError>>;
  stats(space?: WarmSpace): Promise<Result<WarmIndexStats, AppError>>;
  close(): Promise<void>;
}
