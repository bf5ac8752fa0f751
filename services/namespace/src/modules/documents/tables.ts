import type { TierName } from "@strata/contracts";
import type { StoredRecord, TableSpec } from "@strata/docstore";
import type { JsonObject } from "../../shared/json-value.js";

export const DOCUMENTS_TABLE = "documents";

/** Which documents carry which taxonomy label (document-label-index.ts keeps it). */
export const DOCUMENT_LABELS_TABLE = "document_labels";
/** Progress of the one-time indexing of documents written before the label index existed. */
export const DOCUMENT_LABELS_BACKFILL_TABLE = "document_labels_backfill";

export const DOCUMENT_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: DOCUMENTS_TABLE,
    indexes: [{ fields: ["collection_id", "created_at"] }, { fields: ["namespace_id"] }],
  },
  {
    name: DOCUMENT_LABELS_TABLE,
    // The first also serves lookups by (namespace, taxonomy) alone, being its prefix.
    indexes: [
      { fields: ["namespace_id", "taxonomy_id", "label"] },
      { fields: ["collection_id", "document_id"] },
    ],
  },
  { name: DOCUMENT_LABELS_BACKFILL_TABLE },
];

export type Tier = TierName;

/** Why a document moved, as the tier.migrated event names it. */
export type MoveReason = "manual" | "policy" | "access" | "read";

/** Kept on the document record: where it started and its last moves (bounded). */
export interface TierLineage {
  readonly origin: { readonly tier: Tier; readonly at: string };
  /** The most recent moves, oldest first; older ones are only counted. */
  readonly moves: readonly TierLineageMove[];
  readonly move_count: number;
}

export interface TierLineageMove {
  readonly from: Tier;
  readonly to: Tier;
  readonly at: string;
  readonly reason: MoveReason;
}

/** One vector of a document (stored as float32 by the vector stores). */
export interface StoredVector {
  /** Canonical strata:// URI, declared by the collection. */
  readonly feature_uri: string;
  readonly vector: readonly number[];
}

/** Vectors in feature-URI order: how documents keep them, so equal sets compare equal. */
export function byFeatureUri(a: StoredVector, b: StoredVector): number {
  return a.feature_uri < b.feature_uri ? -1 : a.feature_uri > b.feature_uri ? 1 : 0;
}

export interface TaxonomyLabelRecord {
  readonly taxonomy_id: string;
  readonly label: string;
}

export interface DocumentAcl {
  readonly owner: string | null;
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly public: boolean;
}

/** An org key's document without `_acl`: org keys see it, principals only through a rule (ADR 0018). */
export const DEFAULT_ACL: DocumentAcl = { owner: null, read: [], write: [], public: false };

/**
 * A document. Its id is unique only within its collection, so the store key is
 * `<collection_id>/<document_id>` (store-internal: never shown). The vectors are not in the record:
 * they live in the tier that holds the document (`DocumentVectors`, the hot index for `hot`), and
 * `feature_uris` says which features the document has.
 */
export interface DocumentRecord extends StoredRecord {
  readonly id: string;
  readonly document_id: string;
  readonly collection_id: string;
  readonly namespace_id: string;
  readonly organization_id: string;
  readonly metadata: JsonObject;
  /** Sorted; the features this document has a vector for. */
  readonly feature_uris: readonly string[];
  readonly text: string | null;
  readonly taxonomy_labels: readonly TaxonomyLabelRecord[];
  /**
   * Derived from taxonomy_labels. No query reads it any more: the label index (document_labels)
   * answers which documents use a taxonomy. Still written, so every stored record has one shape.
   */
  readonly taxonomy_ids: readonly string[];
  /** `<taxonomy_id>/<label>` per label, for the documents' taxonomy filters. */
  readonly taxonomy_terms: readonly string[];
  readonly _acl: DocumentAcl;
  readonly tier: Tier;
  readonly tier_changed_at: string;
  readonly lineage: JsonObject;
  /** Where it started and how it moved between tiers (ADR 0023); absent until its first move. */
  readonly tier_lineage?: TierLineage;
  readonly created_at: string;
  readonly updated_at: string;
  /**
   * The staged hot-index write that holds this version's vectors (ADR 0013): after a crash, the
   * write is kept for this document only if the record still names it. Store-internal.
   */
  readonly vector_write_id?: string;
  /** The request token it was created under (ADR 0016): a retry with it answers this document. */
  readonly request_token?: string;
}

/**
 * One label of one document: the index a taxonomy change reads to learn whether documents still
 * carry the labels it removes, by indexed lookups instead of a scan of every document.
 */
export interface DocumentLabelRecord extends StoredRecord {
  /** JSON of [collection_id, document_id, taxonomy_id, label]: unique, whatever the label holds. */
  readonly id: string;
  readonly namespace_id: string;
  readonly taxonomy_id: string;
  readonly label: string;
  readonly collection_id: string;
  readonly document_id: string;
}

export function documentKey(collectionId: string, documentId: string): string {
  return `${collectionId}/${documentId}`;
}

/** The parts of a `documentKey` (a collection id holds no `/`; a document id may). */
export function parseDocumentKey(key: string): { collectionId: string; documentId: string } {
  const slash = key.indexOf("/");
  if (slash <= 0) throw new Error(`Not a document key: ${key}`);
  return { collectionId: key.slice(0, slash), documentId: key.slice(slash + 1) };
}

export function taxonomyTerm(taxonomyId: string, label: string): string {
  return `${taxonomyId}/${label}`;
}
