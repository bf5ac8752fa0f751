import type { AppError, Result } from "@strata/errors";
import { err, ok, validationFailed } from "@strata/errors";
import type { HotRecord } from "@strata/hotindex";
import { partitionOf, vectorKey } from "./s3v-naming.js";

/** AWS's per-vector metadata limits (userguide/s3-vectors-limitations). */
export const FILTERABLE_METADATA_BYTES = 2048;
export const TOTAL_METADATA_BYTES = 40 * 1024;
export const METADATA_KEYS = 50;

/** Reserved metadata keys; payload fields are stored under FIELD_PREFIX so they never collide. */
export const COLLECTION_KEY = "strata_c";
export const PARTITION_KEY = "strata_b";
/** The whole payload as JSON: the index's one non-filterable key, returned with hits and gets. */
export const PAYLOAD_KEY = "strata_p";
export const FIELD_PREFIX = "p.";

type Json = string | number | boolean | Json[] | { [key: string]: Json };

export interface PutVector {
  readonly key: string;
  readonly data: { float32: number[] };
  readonly metadata: Record<string, Json>;
}

/**
 * A record as an S3 Vectors vector: filterable metadata = the payload's scalar leaves (and arrays of
 * scalars) flattened to dotted keys — the layout `toS3VectorsFilter` assumes — minus the fields the
 * deployment declares non-filterable; the full payload in the non-filterable PAYLOAD_KEY.
 * Too much filterable metadata is a validation error naming the limit, never a silent truncation.
 */
export function toPutVector(
  record: HotRecord,
  index: number,
  nonFilterable: readonly string[],
): Result<PutVector, AppError> {
  const key = vectorKey(record.collectionId, record.id);
  const filterable: Record<string, Json> = {
    [COLLECTION_KEY]: record.collectionId,
    [PARTITION_KEY]: partitionOf(key),
  };
  flatten(record.payload, "", nonFilterable, filterable);
  const metadata = { ...filterable, [PAYLOAD_KEY]: JSON.stringify(record.payload) };
  const location = `records[${index}].payload`;
  const fail = (message: string) =>
    err(
      validationFailed(
        [{ location, message, type: "warm_metadata_limit" }],
        "Payload exceeds S3 Vectors limits",
      ),
    );
  if (Object.keys(metadata).length > METADATA_KEYS) {
    return fail(`more than ${METADATA_KEYS - 3} filterable fields; declare some non-filterable`);
  }
  const filterableBytes = Buffer.byteLength(JSON.stringify(filterable));
  if (filterableBytes > FILTERABLE_METADATA_BYTES) {
    return fail(
      `${filterableBytes} bytes of filterable metadata (at most ${FILTERABLE_METADATA_BYTES}); declare large fields non-filterable`,
    );
  }
  if (Buffer.byteLength(JSON.stringify(metadata)) > TOTAL_METADATA_BYTES) {
    return fail(`payload larger than the ${TOTAL_METADATA_BYTES}-byte metadata limit`);
  }
  return ok({ key, data: { float32: Array.from(record.vector) }, metadata });
}

function flatten(value: unknown, path: string, skip: readonly string[], out: Record<string, Json>): void {
  if (value === null || value === undefined) return;
  if (path !== "" && skip.some((s) => path === s || path.startsWith(`${s}.`))) return;
  if (Array.isArray(value)) {
    const scalars = value.filter((v) => ["string", "number", "boolean"].includes(typeof v));
    // Arrays of objects are not filterable in the filter language (it never walks into arrays).
    if (scalars.length === value.length) out[`${FIELD_PREFIX}${path}`] = scalars as Json[];
    return;
  }
  if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, path === "" ? k : `${path}.${k}`, skip, out);
    return;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    out[`${FIELD_PREFIX}${path}`] = value;
  }
}

export function payloadOf(metadata: unknown): Record<string, unknown> {
  const raw = (metadata as Record<string, unknown> | undefined)?.[PAYLOAD_KEY];
  return typeof raw === "string" ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

export function collectionOf(metadata: unknown): string {
  const raw = (metadata as Record<string, unknown> | undefined)?.[COLLECTION_KEY];
  return typeof raw === "string" ? raw : "";
}
