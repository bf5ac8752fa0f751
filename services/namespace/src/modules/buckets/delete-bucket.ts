import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import { type AppError, err, ok, type Result } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { resolveBucket } from "./bucket-access.js";
import { bucketPrefixOf } from "./object-key.js";
import type { BucketPorts } from "./ports.js";
import { BUCKET_OBJECTS_TABLE, BUCKETS_TABLE, type BucketRecord } from "./tables.js";

/**
 * Deletes a bucket and its objects, inside this call:
 *  1. one transaction marks it `deleting`: hidden, closed to uploads, its name free;
 *  2. its object records go (so no object is listed whose bytes may be gone), then its bytes;
 *  3. the bucket record goes.
 * An upload racing with this finds the bucket `deleting` when it commits and removes its own bytes.
 * If the call is cut short the bucket stays hidden; repeating the delete by id finishes it.
 */
export async function deleteBucket(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<BucketRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const marked = await retryOnConflict(() =>
    ports.store.transaction<BucketRecord, AppError | Conflict>(async (tx) => {
      const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
      if (!namespace.ok) return namespace;
      const found = await resolveBucket(tx, namespace.value, identifier, { includeDeleting: true });
      if (!found.ok) return found;
      const { record, version } = found.value;
      if (record.state === "deleting") return ok(record);
      const deleting: BucketRecord = {
        ...record,
        state: "deleting",
        bucket_name: null,
        deleting_name: record.bucket_name ?? "",
        updated_at: ports.clock().toISOString(),
      };
      const replaced = await tx.table<BucketRecord>(BUCKETS_TABLE).replace(deleting, version);
      return replaced.ok ? ok(deleting) : err(CONFLICT);
    }),
  );
  if (!marked.ok) return marked;
  const bucket = marked.value;
  await removeBucketData(ports, bucket);
  // The answer names the bucket as it was, before its name was freed.
  return ok({ ...bucket, bucket_name: bucket.deleting_name ?? null });
}

/**
 * Steps 2 and 3 of a delete, for a bucket already marked `deleting` or whose namespace is gone:
 * its object records, then its bytes, then its record. Safe to repeat after a failure.
 */
export async function removeBucketData(
  ports: Pick<BucketPorts, "store" | "objects">,
  bucket: BucketRecord,
): Promise<void> {
  await ports.store.table(BUCKET_OBJECTS_TABLE).deleteMany({ bucket_id: bucket.id });
  await ports.objects.deletePrefix(bucketPrefixOf(bucket.namespace_id, bucket.id));
  await ports.store.table(BUCKETS_TABLE).delete(bucket.id);
}
