import type { MetricName } from "@strata/contracts";
import type { AppError, Result } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";

export type Metric = MetricName;

/**
 * One vector space: the vectors of one feature of one namespace. Two namespaces with the same
 * feature URI are different spaces and never see each other's vectors.
 */
export interface HotSpace {
  readonly namespaceId: string;
  readonly featureUri: string;
  readonly dimensions: number;
  readonly metric: Metric;
}

export interface HotRecord {
  /** The document id. Unique within its collection only, so a vector's key is (collectionId, id). */
  readonly id: string;
  readonly collectionId: string;
  readonly vector: Float32Array | readonly number[];
  /** The document's metadata and whatever fields filters run on (JSON values only). */
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface HotSearch {
  readonly vector: Float32Array | readonly number[];
  /** How many hits at most (1 … MAX_K). */
  readonly k: number;
  /** Applied inside the index: the answer is the top-k among the matching vectors. */
  readonly filter?: BoundFilterNode;
  /** Only vectors of these collections; absent = every collection of the space. */
  readonly collectionIds?: readonly string[];
  /** Drop hits whose score is below this (scores: higher is better, see `Hit.score`). */
  readonly scoreThreshold?: number;
}

/**
 * A search hit. `score` is "higher is better" for every metric, and exactly the value that
 * `exactScore` computes for the same two vectors (so hits from several tiers can be merged by score):
 * - cosine: cosine similarity in [-1, 1] (0 when either vector is all zeros);
 * - dot: the dot product;
 * - euclidean: 1 / (1 + d), d the euclidean (not squared) distance, in (0, 1].
 */
export interface Hit {
  readonly id: string;
  readonly collectionId: string;
  readonly score: number;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Addresses one vector of a space. Document ids are unique within a collection (DESIGN §6: a vector
 * is addressed by namespace, collection, document and feature), so the id alone is not enough.
 */
export interface DocRef {
  readonly collectionId: string;
  readonly id: string;
}

export interface StoredVector {
  readonly id: string;
  readonly collectionId: string;
  readonly vector: Float32Array;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface SpaceStats {
  readonly space: HotSpace;
  /** Live vectors. */
  readonly count: number;
  /** Live vectors already in the graph (the rest sit in the appendable segment, searched exactly). */
  readonly indexed: number;
}

export interface HotIndexStats {
  readonly spaces: readonly SpaceStats[];
  readonly vectors: number;
  /** Bytes of the raw float32 vectors held (for the memory-vs-raw figure). */
  readonly vectorBytes: number;
}

/** A staged write that neither a commit nor an abort settled (a crash came in between). */
export interface StagedWrite {
  readonly space: HotSpace;
  readonly writeId: string;
  /** The vectors it holds. */
  readonly refs: readonly DocRef[];
}

/** What a copied record becomes in the copy's space: its collection there and its payload. */
export interface CopiedRecord {
  readonly collectionId: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** What `copySpace` did: how many records it copied, and whether the graph came along (ADR 0037). */
export interface SpaceCopyReport {
  readonly copied: number;
  /** "copied": the target searches through the source's graph; "rebuilt": its graph is built anew. */
  readonly graph: "copied" | "rebuilt";
}

export interface HotIndex {
  /** Creates the space if needed. Idempotent. Other methods also create it on first write. */
  ensureSpace(space: HotSpace): Promise<Result<void, AppError>>;
  /** Inserts or replaces by id (per space). Durable (and searchable) when it resolves ok. */
  upsert(space: HotSpace, records: readonly HotRecord[]): Promise<Result<void, AppError>>;
  /**
   * The first half of a write whose records must become visible only if something else commits
   * (a document store transaction, ADR 0013): durable when it resolves ok, invisible to every read
   * until `commit`. `writeId` names it (unique per space); staging an id twice is an error.
   */
  stage(space: HotSpace, writeId: string, records: readonly HotRecord[]): Promise<Result<void, AppError>>;
  /**
   * Makes the staged records visible as an upsert would (only `only` of them when given). Returns
   * once they are visible; need not wait for its own fsync, since recovery lists an unsettled
   * write again. An unknown id is a no-op.
   */
  commit(space: HotSpace, writeId: string, only?: readonly DocRef[]): Promise<Result<void, AppError>>;
  /** Drops a staged write; an unknown id is a no-op. */
  abort(space: HotSpace, writeId: string): Promise<Result<void, AppError>>;
  /** Every staged write not settled yet (after a restart: those a crash left in doubt). */
  staged(): Promise<Result<StagedWrite[], AppError>>;
  /** Removes these vectors; unknown ones are ignored. Resolves with how many were removed. */
  delete(space: HotSpace, refs: readonly DocRef[]): Promise<Result<number, AppError>>;
  /** Removes every vector of the collection from the space. */
  deleteWhere(space: HotSpace, where: { readonly collectionId: string }): Promise<Result<number, AppError>>;
  /** Removes every space of the namespace, and its files. */
  dropNamespace(namespaceId: string): Promise<Result<void, AppError>>;
  /**
   * Copies the live records of `source` that `remap` keeps (undefined: left out) into `target`,
   * which must not hold anything yet, as they are when the call starts (ADR 0037). Durable when it
   * resolves ok; a failure leaves no trace of `target`. "unsupported": the index cannot copy a
   * space in bulk and the caller copies record by record.
   */
  copySpace(
    source: HotSpace,
    target: HotSpace,
    remap: (ref: DocRef) => CopiedRecord | undefined,
  ): Promise<Result<SpaceCopyReport | "unsupported", AppError>>;
  search(space: HotSpace, query: HotSearch): Promise<Result<Hit[], AppError>>;
  /** The stored vectors, in the order asked; unknown ones are left out. */
  get(space: HotSpace, refs: readonly DocRef[]): Promise<Result<StoredVector[], AppError>>;
  /** Live vectors matching the filter (and collections), exactly. */
  count(
    space: HotSpace,
    filter?: BoundFilterNode,
    collectionIds?: readonly string[],
  ): Promise<Result<number, AppError>>;
  /** Every space this index holds, or only `space` (none when it holds nothing of it). */
  stats(space?: HotSpace): Promise<Result<HotIndexStats, AppError>>;
  /** Makes everything written so far durable, including background state worth keeping. */
  flush(): Promise<Result<void, AppError>>;
  /** Resolves when every vector written so far is in the graph (tests, benchmarks, tier moves). */
  waitForIndexing(): Promise<void>;
  close(): Promise<void>;
}

/** Largest k a search may ask for. */
export const MAX_K = 1000;
