import { type Caller, canReachNamespace, hasPermission, type Permission } from "@strata/access";
import { type AppError, err, forbidden, notFound, ok, type Result } from "@strata/errors";
import { isId } from "@strata/ids";

export function requirePermission(caller: Caller, needed: Permission): Result<void, AppError> {
  return hasPermission(caller, needed)
    ? ok(undefined)
    : err(forbidden(`This call needs the ${needed} permission`, { required_permission: needed }));
}

/**
 * The namespace a call acts in, as far as this service can tell: an id the caller's key reaches.
 * This service keeps no namespaces; its records carry the organization and namespace ids they were
 * created in (checked then with the namespace service), and every lookup matches both, so another
 * organization's namespace simply holds nothing of the caller's.
 */
export function checkNamespaceScope(caller: Caller, namespaceId: string): Result<string, AppError> {
  if (!isId("namespace", namespaceId) || !canReachNamespace(caller, namespaceId)) {
    return err(notFound("namespace", namespaceId));
  }
  return ok(namespaceId);
}

/** Both checks every call makes before touching the store. */
export function authorize(caller: Caller, needed: Permission, namespaceId: string): Result<string, AppError> {
  const allowed = requirePermission(caller, needed);
  if (!allowed.ok) return allowed;
  return checkNamespaceScope(caller, namespaceId);
}
