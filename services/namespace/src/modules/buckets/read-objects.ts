import type { Readable } from "node:stream";
import type { Caller } from "@strata/access";
import { listPage, type Where } from "@strata/docstore";
import {
  type AppError,
  badRequest,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { DATA_LIST_LIMIT_MAX, isValidListLimit } from "../../shared/namespace-scope.js";
import { findObject, objectNotFound } from "./bucket-access.js";
import { resolveBucketScope } from "./bucket-scope.js";
import { checkKeyPrefix, checkObjectKey, prefixUpperBound } from "./object-key.js";
import type { BucketPorts } from "./ports.js";
import { BUCKET_OBJECTS_TABLE, type ObjectRecord } from "./tables.js";

export async function headObject(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  bucketIdentifier: string,
  key: string,
): Promise<Result<ObjectRecord, AppError>> {
  const issues: ValidationIssue[] = [];
  checkObjectKey(ports.objects, key, issues);
  const scope = await resolveBucketScope(ports.store, caller, namespaceId, bucketIdentifier, "read");
  if (!scope.ok) return scope;
  if (issues.length > 0) return err(validationFailed(issues));
  const found = await findObject(ports.store, scope.value.record, key);
  return found === undefined ? err(objectNotFound(key)) : ok(found.record);
}

export interface ObjectDownload {
  readonly object: ObjectRecord;
  /** The caller must consume or destroy it. */
  readonly body: Readable;
}

/** An object's record and bytes, the two of one version even while the key is being replaced. */
export async function getObject(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  bucketIdentifier: string,
  key: string,
): Promise<Result<ObjectDownload, AppError>> {
  // A replacing upload may delete the bytes between reading the record and opening them; the
  // record read again then names the new bytes.
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await headObject(ports, caller, namespaceId, bucketIdentifier, key);
    if (!found.ok) return found;
    const opened = await ports.objects.get(found.value.storage_key);
    if (opened.ok) return ok({ object: found.value, body: opened.value.body });
  }
  return err(objectNotFound(key));
}

export interface ObjectPage {
  readonly objects: readonly ObjectRecord[];
  readonly nextCursor: string | null;
}

/** The bucket's objects in key order, optionally only keys starting with `prefix`. */
export async function listObjects(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  bucketIdentifier: string,
  request: { readonly prefix: string; readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<ObjectPage, AppError>> {
  const issues: ValidationIssue[] = [];
  checkKeyPrefix(ports.objects, request.prefix, issues);
  if (!isValidListLimit(request.limit)) {
    return err(badRequest(`limit must be between 1 and ${DATA_LIST_LIMIT_MAX}`, { limit: request.limit }));
  }
  const scope = await resolveBucketScope(ports.store, caller, namespaceId, bucketIdentifier, "read");
  if (!scope.ok) return scope;
  if (issues.length > 0) return err(validationFailed(issues));
  const where: Where =
    request.prefix === ""
      ? { bucket_id: scope.value.record.id }
      : {
          bucket_id: scope.value.record.id,
          key: { $gte: request.prefix, $lt: prefixUpperBound(request.prefix) },
        };
  const page = await listPage(ports.store.table<ObjectRecord>(BUCKET_OBJECTS_TABLE), {
    where,
    limit: request.limit,
    cursor: request.cursor,
    orderField: "key",
    direction: "asc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  return ok({ objects: page.value.records.map((v) => v.record), nextCursor: page.value.nextCursor });
}
