import type { PutOptions } from "./port.js";

/**
 * Key rules shared by every adapter, strict enough that a key is safe as a relative file path and
 * as an S3 key without any escaping: segments of `[A-Za-z0-9._-]` joined by single `/`, no `..`
 * anywhere, no `.` segment, at most 250 characters a segment (a file name must fit in 255 bytes)
 * and 1024 in all (S3's limit). Keys come from our own code, so a bad one is a bug and throws.
 */
export const MAX_KEY_LENGTH = 1024;
export const MAX_SEGMENT_LENGTH = 250;
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";
/** S3 allows 2 KiB of user metadata; the rest is kept for the store's own entries. */
export const MAX_METADATA_BYTES = 1536;
export const MAX_LIST_LIMIT = 1000;

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const PARTIAL = /^[A-Za-z0-9._-]*$/;
const METADATA_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CONTENT_TYPE = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

function keyProblem(key: string): string | undefined {
  if (key.length === 0) return "is empty";
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  if (key.includes("..")) return 'contains ".."';
  for (const segment of key.split("/")) {
    if (!SEGMENT.test(segment)) return "has an empty segment or a character outside [A-Za-z0-9._-/]";
    if (segment === ".") return 'has a "." segment';
    if (segment.length > MAX_SEGMENT_LENGTH) return `has a segment longer than ${MAX_SEGMENT_LENGTH}`;
  }
  return undefined;
}

export function isValidObjectKey(key: string): boolean {
  return keyProblem(key) === undefined;
}

export function assertObjectKey(key: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new Error(`Invalid object key ${JSON.stringify(key)}: ${problem}`);
}

/** A prefix is the start of a valid key: complete segments, then a possibly empty partial one. */
export function assertKeyPrefix(prefix: string, options: { readonly allowEmpty: boolean }): void {
  const fail = (problem: string): never => {
    throw new Error(`Invalid object key prefix ${JSON.stringify(prefix)}: ${problem}`);
  };
  if (prefix.length === 0) {
    if (!options.allowEmpty) fail("is empty");
    return;
  }
  if (prefix.length > MAX_KEY_LENGTH) fail(`is longer than ${MAX_KEY_LENGTH} characters`);
  if (prefix.includes("..")) fail('contains ".."');
  const segments = prefix.split("/");
  const partial = segments.pop() ?? "";
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment === ".") fail("has an invalid segment");
  }
  if (!PARTIAL.test(partial)) fail("has a character outside [A-Za-z0-9._-/]");
}

/** Says what is wrong with user metadata, or undefined when a store will accept it. */
export function checkObjectMetadata(metadata: Readonly<Record<string, string>>): string | undefined {
  let bytes = 0;
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEY.test(key)) return `metadata key ${JSON.stringify(key)} must match [a-z0-9][a-z0-9-]*`;
    if (key.startsWith("strata-")) return `metadata key ${JSON.stringify(key)} uses the reserved "strata-"`;
    if (typeof value !== "string") return `metadata value of ${JSON.stringify(key)} is not a string`;
    // Counted as the S3 adapter stores it (URI-encoded), the larger of the two encodings.
    bytes += key.length + encodeURIComponent(value).length;
  }
  return bytes > MAX_METADATA_BYTES ? `metadata is larger than ${MAX_METADATA_BYTES} bytes` : undefined;
}

export function isValidContentType(contentType: string): boolean {
  return CONTENT_TYPE.test(contentType);
}

export interface NormalizedPutOptions {
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly expectedSha256: string | undefined;
}

/** Validates what the caller controls (bugs throw) and fills in defaults. */
export function normalizePutOptions(key: string, options: PutOptions | undefined): NormalizedPutOptions {
  assertObjectKey(key);
  const contentType = options?.contentType ?? DEFAULT_CONTENT_TYPE;
  if (!isValidContentType(contentType))
    throw new Error(`Invalid content type ${JSON.stringify(contentType)}`);
  const metadata = { ...(options?.metadata ?? {}) };
  const problem = checkObjectMetadata(metadata);
  if (problem !== undefined) throw new Error(`Invalid object metadata: ${problem}`);
  const maxBytes = options?.maxBytes ?? Number.POSITIVE_INFINITY;
  if (!(maxBytes >= 0) || (Number.isFinite(maxBytes) && !Number.isInteger(maxBytes))) {
    throw new Error(`Invalid maxBytes ${maxBytes}`);
  }
  return { contentType, metadata, maxBytes, expectedSha256: options?.expectedSha256?.toLowerCase() };
}

export function assertListLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new Error(`Invalid list limit ${limit}: must be an integer in 1..${MAX_LIST_LIMIT}`);
  }
}

/** A cursor is the last key of a page; opaque to callers. Garbage decodes to a harmless bound. */
export function encodeListCursor(lastKey: string): string {
  return Buffer.from(lastKey, "utf8").toString("base64url");
}

export function decodeListCursor(cursor: string | undefined): string {
  return cursor === undefined ? "" : Buffer.from(cursor, "base64url").toString("utf8");
}
