import type { Caller } from "@strata/access";
import type { StoredRecord, TableSpec } from "@strata/docstore";
import type { AclInput } from "../documents/api.js";
import type { TaxonomyLabelRecord } from "../documents/tables.js";

export const BATCHES_TABLE = "batches";
export const BATCH_CHUNKS_TABLE = "batch_chunks";
export const BATCH_CHUNK_ITEMS_TABLE = "batch_chunk_items";

export const BATCH_TABLE_SPECS: readonly TableSpec[] = [
  { name: BATCHES_TABLE, indexes: [{ fields: ["status"] }, { fields: ["namespace_id"] }] },
  { name: BATCH_CHUNKS_TABLE, indexes: [{ fields: ["batch_id", "chunk"] }] },
  { name: BATCH_CHUNK_ITEMS_TABLE, indexes: [{ fields: ["batch_id"] }] },
];

export const BATCH_STATUSES = ["pending", "processing", "completed", "failed"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** A finished batch has published its batch.completed or batch.failed; nothing changes it again. */
export function isFinalStatus(status: BatchStatus): boolean {
  return status === "completed" || status === "failed";
}

/** Items per chunk: one chunk is one work message and one store transaction. */
export const BATCH_CHUNK_SIZE = 500;

export interface BatchItemError {
  readonly index: number;
  readonly error: { readonly type: string; readonly message: string };
}

/** The batch and its progress; its version is the CAS guard every chunk transaction goes through. */
export interface BatchRecord extends StoredRecord {
  readonly id: string;
  readonly collection_id: string;
  readonly namespace_id: string;
  readonly organization_id: string;
  /** The caller that created the batch: chunks write documents on its behalf. */
  readonly caller: Caller;
  readonly status: BatchStatus;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly chunk_count: number;
  readonly chunks_done: number;
  readonly created_at: string;
  readonly updated_at: string;
  /** The request token it was created under (ADR 0016): a retry with it answers this batch. */
  readonly request_token?: string;
}

/**
 * One document as the client sent it; null stands for "not given" (records hold JSON). Vectors are
 * stored packed — `[uri, base64 of float32 little-endian]` entries — which is a fraction of the
 * JSON numbers' size and cost; an entry holding a number array is read too (older records).
 */
export interface BatchItem {
  readonly document_id: string | null;
  readonly metadata: unknown;
  readonly features: ReadonlyArray<readonly [string, string | readonly number[]]>;
  readonly text: string | null;
  readonly taxonomy_labels: readonly TaxonomyLabelRecord[];
  readonly acl: AclInput | null;
}

/**
 * A chunk's progress, small on purpose: a batch-status read (polled while the batch runs) parses
 * these, never the megabyte of vectors a chunk carries, which live in BatchChunkItemsRecord.
 */
export interface BatchChunkRecord extends StoredRecord {
  /** `<batch_id>/<chunk>` */
  readonly id: string;
  readonly batch_id: string;
  readonly chunk: number;
  /** Index of the chunk's first item in the batch. */
  readonly first_index: number;
  /** Items inline: only in chunks stored before the items moved to their own table. */
  readonly items?: readonly BatchItem[];
  readonly done: boolean;
  readonly errors: readonly BatchItemError[];
}

/** The items of a chunk not yet written; deleted in the transaction that marks the chunk done. */
export interface BatchChunkItemsRecord extends StoredRecord {
  /** The chunk's id, `<batch_id>/<chunk>`. */
  readonly id: string;
  readonly batch_id: string;
  readonly items: readonly BatchItem[];
}

export function chunkKey(batchId: string, chunk: number): string {
  return `${batchId}/${chunk}`;
}

/** The id of an item given none: the same on every attempt, so a retried chunk cannot write it twice. */
export function itemDocumentId(batchId: string, index: number): string {
  return `${batchId}-${index}`;
}
