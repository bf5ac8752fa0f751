import { type Caller, hasPermission, type Permission } from "@strata/access";
import { type AppError, err, forbidden, ok, type Result } from "@strata/errors";
import type { ValidKeyInput } from "./key-input.js";
import type { ApiKeyRecord } from "./tables.js";

/**
 * Who may manage which keys. Enforced here as well as in the gateway (defence in depth): a caller
 * can never mint or touch a key that reaches further than itself.
 */
export function requireAdmin(caller: Caller): Result<void, AppError> {
  return hasPermission(caller, "admin")
    ? ok(undefined)
    : err(forbidden("Managing API keys needs the admin permission", { required_permission: "admin" }));
}

/**
 * Whether the caller may see (and so revoke or rotate) this key. Keys outside its organization, its
 * namespace scope or its principal are invisible, so callers answer not_found for them.
 */
export function canSeeKey(caller: Caller, key: ApiKeyRecord): boolean {
  if (key.organization_id !== caller.organizationId) return false;
  if (caller.principalId !== undefined && key.principal_id !== caller.principalId) return false;
  if (caller.namespaces.length === 0) return true;
  return key.namespaces.length > 0 && key.namespaces.every((ns) => caller.namespaces.includes(ns));
}

const RANK: Record<Permission, number> = { read: 1, write: 2, admin: 3, "acl:impersonate": 0 };

function highestRank(permissions: readonly Permission[]): number {
  return Math.max(0, ...permissions.map((p) => RANK[p]));
}

/**
 * Fits a requested key inside the caller's own reach, or refuses with forbidden. A principal-bound
 * (end-user) caller only mints keys for the same principal with a subset of its roles and the same
 * attributes, since those decide what document ACLs let through.
 */
export function grantWithinCaller(caller: Caller, wanted: ValidKeyInput): Result<ValidKeyInput, AppError> {
  if (highestRank(wanted.permissions) > highestRank(caller.permissions)) {
    return err(forbidden("A key cannot have more permissions than the key that creates it"));
  }
  // Acting for any principal is beyond every end-user key; an org key grants it if it holds it or
  // is an admin key (which could create principals and keys for them anyway).
  const mayGrantImpersonation =
    caller.principalId === undefined &&
    (hasPermission(caller, "acl:impersonate") || hasPermission(caller, "admin"));
  if (wanted.permissions.includes("acl:impersonate") && !mayGrantImpersonation) {
    return err(
      forbidden("Only an organization admin key, or one holding acl:impersonate, grants acl:impersonate"),
    );
  }
  if (wanted.permissions.includes("acl:impersonate") && wanted.principalId !== null) {
    return err(forbidden("A key bound to a principal cannot have acl:impersonate"));
  }
  if (caller.namespaces.length > 0) {
    if (wanted.namespaces.length === 0) {
      return err(
        forbidden("A namespace-restricted key can only create keys restricted to some of its namespaces", {
          allowed_namespaces: [...caller.namespaces],
        }),
      );
    }
    const outside = wanted.namespaces.filter((ns) => !caller.namespaces.includes(ns));
    if (outside.length > 0) {
      return err(
        forbidden("A key cannot reach namespaces its creator cannot reach", { namespaces: outside }),
      );
    }
  }
  if (caller.principalId === undefined) return ok(wanted);

  if (wanted.principalId !== null && wanted.principalId !== caller.principalId) {
    return err(forbidden("An end-user key can only create keys for its own principal"));
  }
  const extraRoles = wanted.roles.filter((role) => !caller.roles.includes(role));
  if (extraRoles.length > 0) {
    return err(forbidden("A key cannot hold roles its creator does not hold", { roles: extraRoles }));
  }
  const attributesGiven = Object.keys(wanted.attributes).length > 0;
  if (attributesGiven && JSON.stringify(wanted.attributes) !== JSON.stringify(caller.attributes)) {
    return err(forbidden("An end-user key cannot create keys with other attributes"));
  }
  return ok({ ...wanted, principalId: caller.principalId, attributes: { ...caller.attributes } });
}
