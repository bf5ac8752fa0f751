import type { Caller } from "@strata/access";
import {
  type AppError,
  alreadyExists,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { checkResourceDescription, checkResourceName, newId } from "@strata/ids";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import type { BucketPorts } from "./ports.js";
import { BUCKETS_TABLE, type BucketRecord } from "./tables.js";

export interface NewBucketInput {
  readonly bucketName: string;
  readonly description: string;
}

export async function createBucket(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  input: NewBucketInput,
): Promise<Result<BucketRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  checkResourceName("bucket", "bucket_name", input.bucketName, issues);
  checkResourceDescription(input.description, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  return ports.store.transaction<BucketRecord, AppError>(async (tx) => {
    const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
    if (!namespace.ok) return namespace;
    const now = ports.clock().toISOString();
    const record: BucketRecord = {
      id: newId("bucket"),
      organization_id: namespace.value.organization_id,
      namespace_id: namespace.value.id,
      bucket_name: input.bucketName,
      description: input.description,
      state: "active",
      created_at: now,
      updated_at: now,
    };
    const inserted = await tx.table<BucketRecord>(BUCKETS_TABLE).insert(record);
    if (!inserted.ok) return err(alreadyExists("bucket", { bucket_name: input.bucketName }));
    return ok(record);
  });
}
