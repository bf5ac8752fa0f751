import type { Readable } from "node:stream";
import type { Result } from "@strata/errors";

/**
 * ObjectStore: opaque byte objects under string keys. A store is bound to one S3 bucket (and an
 * optional key prefix) or one root directory; callers namespace their keys with prefixes such as
 * `ns_x/bkt_y/obj_z`. Keys follow `keys.ts` (a bad key is a bug: the call rejects).
 * One contract suite (`objectstore.contract.ts`) runs against every adapter.
 */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  /** Lowercase hex SHA-256 of the body, computed by the store while the body streamed in. */
  readonly sha256: string;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly lastModified: Date;
}

export interface PutOptions {
  /** Defaults to `application/octet-stream`. */
  readonly contentType?: string;
  /** Keys `[a-z0-9][a-z0-9-]*` (not starting `strata-`); see `checkObjectMetadata`. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Enforced while the body streams in; a larger body fails with `too_large`. */
  readonly maxBytes?: number;
  /** Hex SHA-256 the body must have (case-insensitive); otherwise `checksum_mismatch`. */
  readonly expectedSha256?: string;
}

/**
 * Neither failure leaves anything behind: the key keeps its previous object (or stays absent).
 * On `too_large` a Readable body is destroyed, because the rest of it will never be read.
 */
export type PutError = "too_large" | "checksum_mismatch";

export interface ObjectBody {
  readonly info: ObjectInfo;
  /** The body as one consistent version; the caller must consume or destroy it. */
  readonly body: Readable;
}

export interface ListOptions {
  /** 1..1000. */
  readonly limit: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface ListPage {
  /** Keys in byte-wise lexicographic order. */
  readonly items: ObjectInfo[];
  /**
   * Null when nothing follows. A cursor names the last key returned, so it stays valid across
   * writes and restarts: the next page holds the keys after it that exist when it is read.
   */
  readonly nextCursor: string | null;
}

export interface ObjectStore {
  put(key: string, body: Readable | Uint8Array, options?: PutOptions): Promise<Result<ObjectInfo, PutError>>;
  get(key: string): Promise<Result<ObjectBody, "not_found">>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** `prefix` may be empty or end in the middle of a segment (`ns_x/bkt_y/obj_`). */
  list(prefix: string, options: ListOptions): Promise<ListPage>;
  /** Copies body, content type and metadata; replaces `toKey` when it exists. */
  copy(fromKey: string, toKey: string): Promise<Result<ObjectInfo, "not_found">>;
  /** True when the object existed. */
  delete(key: string): Promise<boolean>;
  /** Deletes every object whose key starts with `prefix` (non-empty); says how many went. */
  deletePrefix(prefix: string): Promise<number>;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
