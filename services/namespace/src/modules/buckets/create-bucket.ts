import type { Caller } from "@strata/access";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { checkResourceDescription, checkResourceName, newId } from "@strata/ids";
import { type CreateRecipe, createEach, createOne } from "../../shared/create-many.js";
import type { BucketPorts } from "./ports.js";
import { BUCKETS_TABLE, type BucketRecord } from "./tables.js";

export interface NewBucketInput {
  readonly bucketName: string;
  readonly description: string;
}

export function createBucket(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  input: NewBucketInput,
): Promise<Result<BucketRecord, AppError>> {
  return createOne(ports.store, caller, namespaceId, bucketRecipe(ports), input);
}

/** Many buckets in one transaction, each answering on its own (BucketService.CreateBuckets). */
export function createBuckets(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  inputs: readonly NewBucketInput[],
): Promise<Result<Result<BucketRecord, AppError>[], AppError>> {
  return createEach(ports.store, caller, namespaceId, bucketRecipe(ports), inputs);
}

function bucketRecipe(ports: BucketPorts): CreateRecipe<NewBucketInput, NewBucketInput, BucketRecord> {
  return {
    kind: "bucket",
    table: BUCKETS_TABLE,
    nameField: "bucket_name",
    check(input) {
      const issues: ValidationIssue[] = [];
      checkResourceName("bucket", "bucket_name", input.bucketName, issues);
      checkResourceDescription(input.description, issues);
      return issues.length > 0 ? err(validationFailed(issues)) : ok(input);
    },
    build(namespace, input) {
      const now = ports.clock().toISOString();
      return {
        id: newId("bucket"),
        organization_id: namespace.organization_id,
        namespace_id: namespace.id,
        bucket_name: input.bucketName,
        description: input.description,
        state: "active",
        created_at: now,
        updated_at: now,
      };
    },
  };
}
