import type { MetricName } from "@strata/contracts";
import { TIERS, type TierName } from "@strata/contracts";
import type { AppError, Result } from "@strata/errors";
import type { CollectionRecord } from "../../modules/collections/tables.js";
import type { VectorHit, VectorSearch } from "./document-vectors.js";

/** The tiers that hold vectors; `archive` keeps a document's record and lineage only. */
export type VectorTier = Exclude<TierName, "archive">;

export const VECTOR_TIERS: readonly VectorTier[] = TIERS.filter((t): t is VectorTier => t !== "archive");

/**
 * One vector of a tier copy, in float32 as every tier keeps it: a move or a clone passes it from
 * one tier to the next without a number-array copy each way (those copies and their garbage were
 * about a tenth of a warm → cold move, docs/benchmarks.md).
 */
export interface TierVector {
  readonly feature_uri: string;
  readonly vector: Float32Array;
}

/** One document's copy in a tier: its vectors (feature-URI order) and the payload filters read. */
export interface TierEntry {
  readonly documentId: string;
  readonly vectors: readonly TierVector[];
  readonly payload: Readonly<Record<string, unknown>>;
}

/** What a clone copies of one tier in one call (ADR 0037). */
export interface TierCopy {
  /** Each source collection, its clone's copy, and its documents to copy: id → the clone's payload. */
  readonly collections: readonly {
    readonly source: CollectionRecord;
    readonly copy: CollectionRecord;
    readonly payloads: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  }[];
}

/**
 * One tier's copy of documents' vectors, as a move between tiers sees it (ADR 0023): whole
 * documents, every feature the collection declares, in batches. The hot tier's is the hot index
 * written by upsert (its appendable segment, no graph insert awaited), the warm tier's the warm
 * index, the cold tier's one object per document.
 */
export interface TierVectorStore {
  readonly tier: VectorTier;
  /** Whether this tier can hold vectors of the metric (S3 Vectors: cosine and euclidean only). */
  holds(metric: MetricName): boolean;
  /** Inserts or replaces; durable when ok. */
  write(collection: CollectionRecord, entries: readonly TierEntry[]): Promise<Result<void, AppError>>;
  /** The documents this tier holds of those asked (absent ones are left out), in no set order. */
  read(collection: CollectionRecord, documentIds: readonly string[]): Promise<Result<TierEntry[], AppError>>;
  /** Removes these documents' vectors; unknown ones are ignored. */
  remove(collection: CollectionRecord, documentIds: readonly string[]): Promise<Result<void, AppError>>;
  removeCollection(collection: CollectionRecord): Promise<Result<void, AppError>>;
  dropNamespace(namespaceId: string): Promise<Result<void, AppError>>;
  /**
   * Copies the documents into the clone's collections in bulk (the index's own structures, not
   * record by record); answers the vectors copied, or "unsupported" (absent: the same) when the
   * caller must copy page by page through `read` and `write`.
   */
  copyDocuments?(copy: TierCopy): Promise<Result<number | "unsupported", AppError>>;
}

/** A tier that answers nearest-neighbour queries itself (hot and warm). */
export interface SearchableTier {
  search(query: VectorSearch): Promise<Result<VectorHit[], AppError>>;
}

/** What a scan of a whole tier answered: the top-k, and how many documents it looked at. */
export interface ScanAnswer {
  readonly hits: VectorHit[];
  readonly scanned: number;
}

/**
 * A tier searched by reading every document of the collections (cold: slow, only when a search
 * asks for it). Scores are exactly the hot index's, the filter is applied to each document's payload.
 */
export interface ScannableTier {
  scanSearch(query: VectorSearch): Promise<Result<ScanAnswer, AppError>>;
}

/** Every vector tier of the namespace service. */
export interface TierStores {
  readonly hot: TierVectorStore;
  readonly warm: TierVectorStore & SearchableTier;
  readonly cold: TierVectorStore & ScannableTier;
}
