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

/**
 * The searchable copy of documents' vectors: the hot tier (DESIGN §8). The document store keeps the
 * record of which features a document has (`feature_uris`); the vectors themselves live only here,
 * so a later move to another tier takes them out of this store instead of leaving a copy behind.
 *
 * Writes are idempotent (upsert by collection, document and feature) and made durable before they
 * resolve. Document writes call `write` before their transaction commits and `remove` after it, so
 * a crash in between leaves at worst an orphaned vector, which searches drop when they re-read
 * the hits from the document store — never a committed document without its vector.
 */
export interface DocumentVectors {
  /** The most hits one search may ask for (the hot tier's own limit). */
  readonly maxK: number;
  write(
    collection: CollectionRecord,
    entries: readonly DocumentVectorEntry[],
  ): Promise<Result<void, AppError>>;
  /** The document's stored vectors for these features (those it has), in the order asked. */
  read(
    collection: CollectionRecord,
    documentId: string,
    featureUris: readonly string[],
  ): Promise<Result<StoredVector[], AppError>>;
  remove(
    collection: CollectionRecord,
    documentIds: readonly string[],
    featureUris: readonly string[],
  ): Promise<Result<void, AppError>>;
  /** Every vector of the collection, in every space it declares. */
  removeCollection(collection: CollectionRecord): Promise<Result<void, AppError>>;
  search(query: VectorSearch): Promise<Result<VectorHit[], AppError>>;
  stats(collection: CollectionRecord): Promise<Result<FeatureIndexStats[], AppError>>;
  close(): Promise<void>;
}
