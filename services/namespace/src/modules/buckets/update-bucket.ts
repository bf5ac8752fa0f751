import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { checkResourceDescription } from "@strata/ids";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { resolveBucket } from "./bucket-access.js";
import type { BucketPorts } from "./ports.js";
import { BUCKETS_TABLE, type BucketRecord } from "./tables.js";

export interface BucketChanges {
  /** Undefined keeps the description. */
  readonly description?: string;
}

/** Changes a bucket's description in place: its objects and its id stay as they are. */
export async function updateBucket(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
  changes: BucketChanges,
): Promise<Result<BucketRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  if (changes.description !== undefined) checkResourceDescription(changes.description, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  return retryOnConflict(() =>
    ports.store.transaction<BucketRecord, AppError | Conflict>(async (tx) => {
      const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
      if (!namespace.ok) return namespace;
      const found = await resolveBucket(tx, namespace.value, identifier);
      if (!found.ok) return found;
      const { record, version } = found.value;
      if (changes.description === undefined || changes.description === record.description) return ok(record);
      const updated: BucketRecord = {
        ...record,
        description: changes.description,
        updated_at: ports.clock().toISOString(),
      };
      const replaced = await tx.table<BucketRecord>(BUCKETS_TABLE).replace(updated, version);
      return replaced.ok ? ok(updated) : err(CONFLICT);
    }),
  );
}
