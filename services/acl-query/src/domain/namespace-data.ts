import type { Caller } from "@strata/access";
import type { TierName } from "@strata/contracts";
import type { AppError, Result } from "@strata/errors";
import type { FilterJson } from "@strata/filter";
import type { Metric } from "./tables.js";

/**
 * What acl-query reads from the namespace service, the writer of record for collections and
 * documents. Every call acts for a caller, so the namespace service's own checks (organization,
 * namespace reach, permission) apply; not_found means "missing or not yours".
 */
export interface NamespaceData {
  getCollection(
    caller: Caller,
    namespaceId: string,
    identifier: string,
  ): Promise<Result<CollectionInfo, AppError>>;
  /** Every collection of the namespace (all pages), for a caller that needs many at once. */
  listCollections(caller: Caller, namespaceId: string): Promise<Result<CollectionInfo[], AppError>>;
  /** With its vectors. */
  getDocument(
    caller: Caller,
    namespaceId: string,
    collectionIdentifier: string,
    documentId: string,
  ): Promise<Result<DocumentInfo, AppError>>;
  search(caller: Caller, request: SearchRequest): Promise<Result<SearchAnswerInfo, AppError>>;
  /**
   * Whether the namespace still exists, asked of its owner: a destructive consumer checks this
   * before acting on namespace.deleted, so an event alone (forged, or replayed) never wipes data.
   */
  namespaceIsLive(organizationId: string, namespaceId: string): Promise<Result<boolean, AppError>>;
}

export interface FeatureInfo {
  readonly featureUri: string;
  readonly dimensions: number;
  readonly metric: Metric;
}

export interface CollectionInfo {
  readonly collectionId: string;
  readonly collectionName: string;
  readonly features: readonly FeatureInfo[];
  readonly indexedFields: readonly string[];
}

export type Tier = TierName;

export interface DocumentInfo {
  readonly documentId: string;
  readonly collectionId: string;
  readonly namespaceId: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly features: Readonly<Record<string, readonly number[]>>;
  readonly tier: Tier;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SearchRequest {
  readonly namespaceId: string;
  readonly collectionIds: readonly string[];
  readonly featureUri: string;
  readonly vector: readonly number[];
  readonly topK: number;
  readonly filters: FilterJson | null;
  readonly scoreThreshold: number | null;
  readonly excludeDocumentIds: readonly string[];
  /** Scan the cold tier too (slow); hot and warm are always searched. */
  readonly includeCold?: boolean;
}

/** A search's hits, and how many cold documents it scanned (undefined: cold was not scanned). */
export interface SearchAnswerInfo {
  readonly hits: SearchHitInfo[];
  readonly coldScanned?: number | undefined;
}

export interface SearchHitInfo {
  readonly documentId: string;
  readonly collectionId: string;
  readonly score: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly sourceTier: Tier;
}
