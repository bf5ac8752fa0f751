import type { AppError, Result } from "@strata/errors";
import type { Metric } from "@strata/hotindex";

export interface ColdVector {
  readonly featureUri: string;
  readonly dimensions: number;
  readonly metric: Metric;
  readonly vector: Float32Array;
}

export interface ColdDocument {
  readonly namespaceId: string;
  readonly collectionId: string;
  readonly documentId: string;
  readonly vectors: readonly ColdVector[];
  /** The payload the hot/warm index held for it (filter and ACL fields included). */
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface ColdRef {
  readonly namespaceId: string;
  readonly collectionId: string;
  readonly documentId: string;
}

/**
 * The cold tier (ADR 0022, ADR 0033, docs/cold-format.md): checksummed pack objects, each holding
 * the documents one write stored (every feature vector and the payload of each). Not searchable by vector; read back whole (get, scan) to rehydrate.
 */
export interface ColdStore {
  /** Durable when ok; replaces; returns the bytes written. */
  put(doc: ColdDocument): Promise<Result<{ readonly bytes: number }, AppError>>;
  putMany(docs: readonly ColdDocument[]): Promise<Result<{ readonly bytes: number }, AppError>>;
  /** Undefined when absent; a corrupt object (checksum) is an error, never silently returned. */
  get(ref: ColdRef): Promise<Result<ColdDocument | undefined, AppError>>;
  /** The documents of these that are stored (absent ones left out), each pack object read once. */
  getMany(refs: readonly ColdRef[]): Promise<Result<ColdDocument[], AppError>>;
  delete(refs: readonly ColdRef[]): Promise<Result<number, AppError>>;
  /** Every document of the namespace (or of one collection), in pages (slow: this is the cold scan). */
  scan(namespaceId: string, collectionId?: string): AsyncIterable<Result<ColdDocument[], AppError>>;
  dropNamespace(namespaceId: string): Promise<Result<void, AppError>>;
}
