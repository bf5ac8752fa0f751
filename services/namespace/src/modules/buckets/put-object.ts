import type { Readable } from "node:stream";
import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import {
  type AppError,
  badRequest,
  err,
  ok,
  payloadTooLarge,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { newId } from "@strata/ids";
import { findObject } from "./bucket-access.js";
import { resolveBucketScope } from "./bucket-scope.js";
import { checkObjectKey, checkSha256, storageKeyOf } from "./object-key.js";
import type { BucketPorts } from "./ports.js";
import { BUCKET_OBJECTS_TABLE, type ObjectRecord } from "./tables.js";

export interface PutObjectInput {
  readonly key: string;
  /** Empty means application/octet-stream. */
  readonly contentType: string;
  /** Hex SHA-256 the body must have. */
  readonly expectedSha256: string | undefined;
  readonly body: Readable;
}

/**
 * Stores an object, replacing one with the same key. The bytes go first, under a key of their own
 * (see storageKeyOf); the record naming them is committed only afterwards, so until then nobody
 * sees the upload, and a refused (too large, wrong checksum), broken-off or losing upload leaves
 * nothing behind: the store keeps nothing of a refused body, and bytes whose record was not
 * committed are deleted here. The bytes of a replaced object are deleted after the commit.
 */
export async function putObject(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  bucketIdentifier: string,
  input: PutObjectInput,
): Promise<Result<ObjectRecord, AppError>> {
  const issues: ValidationIssue[] = [];
  checkObjectKey(ports.objects, input.key, issues);
  const contentType = input.contentType === "" ? ports.objects.defaultContentType : input.contentType;
  if (!ports.objects.isValidContentType(contentType)) {
    issues.push({
      location: "header.content-type",
      message: "a content type is 1 to 255 printable ASCII characters",
      type: "invalid_format",
    });
  }
  if (input.expectedSha256 !== undefined) checkSha256(input.expectedSha256, issues);
  const scope = await resolveBucketScope(ports.store, caller, namespaceId, bucketIdentifier, "write");
  if (!scope.ok) return scope;
  if (issues.length > 0) return err(validationFailed(issues));
  const bucket = scope.value.record;

  const id = newId("object");
  const storageKey = storageKeyOf(bucket.namespace_id, bucket.id, id);
  const stored = await ports.objects.put(storageKey, input.body, {
    contentType,
    maxBytes: ports.maxObjectBytes,
    ...(input.expectedSha256 === undefined ? {} : { expectedSha256: input.expectedSha256 }),
  });
  if (!stored.ok) {
    if (stored.error === "too_large") return err(payloadTooLarge(ports.maxObjectBytes));
    return err(
      badRequest("The body's SHA-256 does not match the checksum sent with it", {
        expected_sha256: input.expectedSha256?.toLowerCase(),
      }),
    );
  }
  const record: ObjectRecord = {
    id,
    organization_id: bucket.organization_id,
    namespace_id: bucket.namespace_id,
    bucket_id: bucket.id,
    key: input.key,
    size: stored.value.size,
    content_type: contentType,
    sha256: stored.value.sha256,
    // Same bytes, same tag: a strong entity tag may be shared by identical representations.
    etag: stored.value.sha256,
    storage_key: storageKey,
    created_at: ports.clock().toISOString(),
  };
  let committed: Result<ObjectRecord | undefined, AppError>;
  try {
    committed = await commitRecord(ports, caller, namespaceId, bucket.id, record);
  } catch (exception: unknown) {
    await ports.objects.delete(storageKey);
    throw exception;
  }
  if (!committed.ok) {
    await ports.objects.delete(storageKey);
    return committed;
  }
  const replaced = committed.value;
  // The record no longer names these bytes; a failure here only leaves unreachable bytes.
  if (replaced !== undefined) await ports.objects.delete(replaced.storage_key).catch(() => false);
  return ok(record);
}

/** Commits `record` if its bucket is still live; answers the record it replaced, if any. */
function commitRecord(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  bucketId: string,
  record: ObjectRecord,
): Promise<Result<ObjectRecord | undefined, AppError>> {
  return retryOnConflict(() =>
    ports.store.transaction<ObjectRecord | undefined, AppError | Conflict>(async (tx) => {
      // Again inside the transaction: the bucket may have been deleted while the bytes streamed.
      const scope = await resolveBucketScope(tx, caller, namespaceId, bucketId, "write");
      if (!scope.ok) return scope;
      const table = tx.table<ObjectRecord>(BUCKET_OBJECTS_TABLE);
      const current = await findObject(tx, scope.value.record, record.key);
      if (current !== undefined && !(await table.delete(current.record.id, current.version))) {
        return err(CONFLICT);
      }
      const inserted = await table.insert(record);
      // A concurrent upload of the same key committed first: decide again.
      if (!inserted.ok) return err(CONFLICT);
      return ok(current?.record);
    }),
  );
}
