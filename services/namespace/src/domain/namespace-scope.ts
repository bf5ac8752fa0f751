import type { DocStoreSession } from "@strata/docstore";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import type { Caller } from "@strata/grpc";
import { isId } from "@strata/ids";
import { resolveNamespace } from "./namespace-access.js";
import type { NamespaceRecord } from "./tables.js";

/**
 * The namespace a collection, document or taxonomy call acts in. The gateway resolved X-Namespace
 * to an id already; this checks again that the caller's organization owns it and the key reaches
 * it. Anything else (a name, a missing or foreign namespace) answers not_found.
 */
export async function resolveNamespaceScope(
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
): Promise<Result<NamespaceRecord, AppError>> {
  if (!isId("namespace", namespaceId)) return err(notFound("namespace", namespaceId));
  const found = await resolveNamespace(session, caller, namespaceId);
  return found.ok ? ok(found.value.record) : found;
}

/** Page sizes of every list call in the data path. */
export const DATA_LIST_LIMIT_DEFAULT = 20;
export const DATA_LIST_LIMIT_MAX = 100;

export function isValidListLimit(limit: number): boolean {
  return Number.isInteger(limit) && limit >= 1 && limit <= DATA_LIST_LIMIT_MAX;
}
