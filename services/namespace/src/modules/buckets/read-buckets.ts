import type { Caller } from "@strata/access";
import { type AppError, ok, type Result } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { listInNamespace, resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { resolveBucket } from "./bucket-access.js";
import type { BucketPorts } from "./ports.js";
import { BUCKETS_TABLE, type BucketRecord } from "./tables.js";

export async function getBucket(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<BucketRecord, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const found = await resolveBucket(ports.store, namespace.value, identifier);
  return found.ok ? ok(found.value.record) : found;
}

export interface BucketPage {
  readonly buckets: readonly BucketRecord[];
  readonly nextCursor: string | null;
}

/** The namespace's buckets, newest first (those being deleted are left out). */
export async function listBuckets(
  ports: BucketPorts,
  caller: Caller,
  namespaceId: string,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<BucketPage, AppError>> {
  const page = await listInNamespace<BucketRecord>(ports.store, caller, namespaceId, request, BUCKETS_TABLE, {
    state: "active",
  });
  return page.ok ? ok({ buckets: page.value.records, nextCursor: page.value.nextCursor }) : page;
}
