import type { Readable } from "node:stream";
import type { DocStore } from "@strata/docstore";
import type { Result } from "@strata/errors";
import type { Clock } from "../../shared/ports.js";

/** The object store's key rules, which bucket keys follow (see object-key.ts). */
export interface ObjectKeyRules {
  isValidKey(key: string): boolean;
  readonly maxKeyLength: number;
  isValidContentType(contentType: string): boolean;
  /** What an upload without a content type is stored as. */
  readonly defaultContentType: string;
}

/** Where object bytes live (the filesystem or S3), and the rules its keys follow. */
export interface BucketObjects extends ObjectKeyRules {
  put(
    key: string,
    body: Readable,
    options: { readonly contentType: string; readonly maxBytes: number; readonly expectedSha256?: string },
  ): Promise<Result<{ readonly size: number; readonly sha256: string }, "too_large" | "checksum_mismatch">>;
  /** The caller must consume or destroy the body. */
  get(key: string): Promise<Result<{ readonly body: Readable }, "not_found">>;
  /** Copies the bytes within the store (server-side where the store can: S3 CopyObject). */
  copy(fromKey: string, toKey: string): Promise<Result<void, "not_found">>;
  /** True when the object existed. */
  delete(key: string): Promise<boolean>;
  /** Every object whose key starts with `prefix`; says how many went. */
  deletePrefix(prefix: string): Promise<number>;
}

/** What buckets and objects may touch: their two tables, the object bytes' store and its limit. */
export interface BucketPorts {
  readonly store: DocStore;
  readonly clock: Clock;
  readonly objects: BucketObjects;
  /** Uploads past this many bytes are refused while they stream in. */
  readonly maxObjectBytes: number;
}
