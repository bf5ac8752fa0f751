import type { AppError, Result } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import type { CollectionRecord, FeatureRecord } from "../../modules/collections/tables.js";
import type { StoredVector, Tier } from "../../modules/documents/tables.js";

/**
 * What a search filter can see of a document inside the vector index: the fields the filter
 * language names (`metadata.<path>`, document_id, created_at, updated_at, tier) and the taxonomy
 * terms a `taxonomies.<taxonomy>` condition turns into.
 */
// A type, not an interface: the index takes it as a plain JSON record.
export type VectorPayload = {
  readonly document_id: string;
  readonly collection_id: string;
  /** What the compiled ACL filter reads inside the index (ADR 0018). */
  readonly _acl: {
    readonly owner: string | null;
    readonly read: readonly string[];
    readonly write: readonly string[];
    readonly public: boolean;
  };
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly taxonomy_terms: readonly string[];
  readonly tier: Tier;
  readonly created_at: string;
  readonly updated_at: string;
};

export interface DocumentVectorEntry {
  readonly documentId: string;
  /** Only features the collection declares (checked before). */
  readonly vectors: readonly StoredVector[];
  readonly payload: VectorPayload;
}

export interface VectorSearch {
  readonly namespaceId: string;
  readonly collectionIds: readonly string[];
  readonly feature: FeatureRecord;
  readonly vector: readonly number[];
  readonly k: number;
  /** Applied inside the index, so the answer is the top-k among the matching documents. */
  readonly filter?: BoundFilterNode;
  readonly scoreThreshold?: number;
}

export interface FeatureIndexStats {
  readonly featureUri: string;
  /** This collection's vectors of the feature. */
  readonly vectors: number;
  /** Vectors of the feature's space not yet in the graph (searched exactly meanwhile). */
  readonly pending: number;
}

export interface VectorHit {
  readonly collectionId: string;
  readonly documentId: string;
  readonly score: number;
}

/** Vectors staged for documents whose transaction has not settled yet (ADR 0013). */
export interface StagedVectors {
  /** After the transaction committed: makes the vectors of these documents visible. */
  commit(documentIds: readonly string[]): Promise<Result<void, AppError>>;
  /** After it rolled back: drops them. */
  abort(): Promise<Result<void, AppError>>;
}

/** A document of a staged write a crash left unsettled. */
export interface StagedDocument {
  readonly collectionId: string;
  readonly documentId: string;
}

/** A staged write found unsettled at start-up: its documents, and how to settle it. */
export interface InDoubtVectors {
  readonly writeId: string;
  readonly documents: readonly StagedDocument[];
  /** Makes the vectors of `keep` visible and drops the rest. */
  settle(keep: readonly StagedDocument[]): Promise<Result<void, AppError>>;
}

/**
 * The searchable copy of documents' vectors: the hot tier (DESIGN §8). The document store keeps the
 * record of which features a document has (`feature_uris`); the vectors themselves live only here,
 * so a later move to another tier takes them out of this store instead of leaving a copy behind.
 *
 * Document writes do not hold the store while the index makes vectors durable (ADR 0013): they
 * `stage` the vectors under a fresh write id before their transaction, name that id in the records
 * they write, and `commit` (or `abort`) the staged write after it. At start-up, a staged write a
 * crash left unsettled is kept for exactly the documents whose record names it. Removals happen
 * after the removing transaction commits; a crash in between leaves an orphan, which searches drop
 * when they re-read the hits from the document store.
 */
export interface DocumentVectors {
  /** The most hits one search may ask for (the hot tier's own limit). */
  readonly maxK: number;
  /** Durable but invisible until committed. */
  stage(
    collection: CollectionRecord,
    writeId: string,
    entries: readonly DocumentVectorEntry[],
  ): Promise<Result<StagedVectors, AppError>>;
  /**
   * Resolves once each of these staged writes made in this process has been committed or aborted
   * (at once for a write id it does not know). A record names its write before the write's vectors
   * are visible (the transaction commits first): a reader that waits here reads the vectors the
   * record names, not none.
   */
  settled(writeIds: readonly string[]): Promise<void>;
  /** Staged writes not settled yet (at start-up: those a crash left in doubt). */
  inDoubt(): Promise<Result<InDoubtVectors[], AppError>>;
  /**
   * Runs `work` while no other `exclusive` call for any of these documents of the collection runs
   * in this process, so that one document's writes commit (and read) its vectors one after another.
   */
  exclusive<T>(collectionId: string, documentIds: readonly string[], work: () => Promise<T>): Promise<T>;
  /**
   * The document's stored vectors for these features (those it has), in the order asked, from the
   * tier its pointer names (default hot; archive holds none).
   */
  read(
    collection: CollectionRecord,
    documentId: string,
    featureUris: readonly string[],
    tier?: Tier,
  ): Promise<Result<StoredVector[], AppError>>;
  /** Removes these features' vectors of the documents from the tier that holds them (default hot). */
  remove(
    collection: CollectionRecord,
    documentIds: readonly string[],
    featureUris: readonly string[],
    tier?: Tier,
  ): Promise<Result<void, AppError>>;
  /** Every vector of the collection, in every space it declares, in every tier. */
  removeCollection(collection: CollectionRecord): Promise<Result<void, AppError>>;
  /** Every space of the namespace with whatever is left in it (its files too): a purge's last step. */
  dropNamespace(namespaceId: string): Promise<Result<void, AppError>>;
  search(query: VectorSearch): Promise<Result<VectorHit[], AppError>>;
  stats(collection: CollectionRecord): Promise<Result<FeatureIndexStats[], AppError>>;
  close(): Promise<void>;
}
