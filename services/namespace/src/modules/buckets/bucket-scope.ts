import type { Caller, Permission } from "@strata/access";
import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, ok, type Result } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { resolveBucket } from "./bucket-access.js";
import type { BucketRecord } from "./tables.js";

/** The checks every object call makes: permission, namespace (owned and reachable), live bucket. */
export async function resolveBucketScope(
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
  bucketIdentifier: string,
  needed: Permission,
): Promise<Result<Versioned<BucketRecord>, AppError>> {
  const allowed = requirePermission(caller, needed);
  if (!allowed.ok) return allowed;
  const namespace = await resolveNamespaceScope(session, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const bucket = await resolveBucket(session, namespace.value, bucketIdentifier);
  return bucket.ok ? ok(bucket.value) : bucket;
}
