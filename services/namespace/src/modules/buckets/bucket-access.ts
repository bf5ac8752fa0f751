import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import { isId, isValidResourceName } from "@strata/ids";
import type { NamespaceRecord } from "../namespaces/tables.js";
import { BUCKET_OBJECTS_TABLE, BUCKETS_TABLE, type BucketRecord, type ObjectRecord } from "./tables.js";

/**
 * Finds a bucket by id (bkt_…) or name inside `namespace`. Another namespace's bucket, a missing
 * one and (unless asked for) one being deleted all answer the same not_found.
 */
export async function resolveBucket(
  session: DocStoreSession,
  namespace: NamespaceRecord,
  identifier: string,
  options: { readonly includeDeleting?: boolean } = {},
): Promise<Result<Versioned<BucketRecord>, AppError>> {
  const table = session.table<BucketRecord>(BUCKETS_TABLE);
  let found: Versioned<BucketRecord> | undefined;
  if (isId("bucket", identifier)) {
    found = await table.get(identifier);
  } else if (isValidResourceName("bucket", identifier)) {
    [found] = await table.find({ where: { namespace_id: namespace.id, bucket_name: identifier }, limit: 1 });
  }
  if (
    found === undefined ||
    found.record.namespace_id !== namespace.id ||
    found.record.organization_id !== namespace.organization_id ||
    (found.record.state === "deleting" && options.includeDeleting !== true)
  ) {
    return err(notFound("bucket", identifier));
  }
  return ok(found);
}

export async function findObject(
  session: DocStoreSession,
  bucket: BucketRecord,
  key: string,
): Promise<Versioned<ObjectRecord> | undefined> {
  const [found] = await session
    .table<ObjectRecord>(BUCKET_OBJECTS_TABLE)
    .find({ where: { bucket_id: bucket.id, key }, limit: 1 });
  return found;
}

export function objectNotFound(key: string): AppError {
  return notFound("object", key);
}
