import { type Caller, canReachNamespace, hasPermission, type Permission } from "@strata/access";
import { type AppError, forbidden, notFound } from "@strata/errors";
import type { TieringPorts } from "./ports.js";

/**
 * The caller may act on the namespace: it has the permission, its key reaches the namespace, and
 * the namespace is its organization's (another organization's looks absent).
 */
export async function checkNamespace(
  ports: TieringPorts,
  caller: Caller,
  namespaceId: string,
  needed: Permission,
): Promise<AppError | undefined> {
  if (!hasPermission(caller, needed)) return forbidden(`This key lacks the '${needed}' permission`);
  if (!canReachNamespace(caller, namespaceId)) return notFound("namespace", namespaceId);
  const live = await ports.directory.isLive(caller.organizationId, namespaceId);
  if (!live.ok) return live.error;
  return live.value ? undefined : notFound("namespace", namespaceId);
}
