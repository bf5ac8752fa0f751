import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { findObject, objectNotFound } from "./bucket-access.js";
import { resolveBucketScope } from "./bucket-scope.js";
import { checkObjectKey } from "./object-key.js";
import type { BucketPorts } from "./ports.js";
import { BUCKET_OBJECTS_TABLE, type ObjectRecord } from "./tables.js";

/** Deletes an object: its record first (it is gone from then on), then its bytes. */
export async function deleteObject(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  bucketIdentifier: string,
  key: string,
): Promise<Result<ObjectRecord, AppError>> {
  const issues: ValidationIssue[] = [];
  checkObjectKey(ports.objects, key, issues);
  const deleted = await retryOnConflict(() =>
    ports.store.transaction<ObjectRecord, AppError | Conflict>(async (tx) => {
      const scope = await resolveBucketScope(tx, caller, namespaceId, bucketIdentifier, "write");
      if (!scope.ok) return scope;
      if (issues.length > 0) return err(validationFailed(issues));
      const found = await findObject(tx, scope.value.record, key);
      if (found === undefined) return err(objectNotFound(key));
      const gone = await tx.table<ObjectRecord>(BUCKET_OBJECTS_TABLE).delete(found.record.id, found.version);
      return gone ? ok(found.record) : err(CONFLICT);
    }),
  );
  if (!deleted.ok) return deleted;
  await ports.objects.delete(deleted.value.storage_key);
  return deleted;
}
