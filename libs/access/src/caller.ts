/**
 * Who is calling, as the gateway verified it. This is identity, not transport: domains decide
 * with it, and the gRPC lib only carries it between services (libs/grpc encodes it in metadata).
 */
export const PERMISSIONS = ["read", "write", "admin", "acl:impersonate"] as const;
export type Permission = (typeof PERMISSIONS)[number];
/** The permissions that include each other (admin ⊃ write ⊃ read). */
export type RankedPermission = "read" | "write" | "admin";

/**
 * The compiled document-visibility filter of an end-user caller for one namespace (ADR 0018):
 * acl-query compiles it from the namespace's ACL rules and the principal, the gateway attaches it,
 * and whichever service reads documents runs it inside its store or index query. `filter` is the
 * filter language's JSON form with every `$user.…` reference already bound.
 */
export interface AclVisibility {
  readonly namespaceId: string;
  readonly filter: unknown;
}

export interface Caller {
  readonly organizationId: string;
  readonly keyId: string;
  readonly permissions: readonly Permission[];
  /** Namespace ids the key is restricted to; empty means every namespace of the organization. */
  readonly namespaces: readonly string[];
  /** Set on end-user keys (and impersonating org keys), which document ACLs apply to. */
  readonly principalId?: string;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Set by the gateway for a principal caller; a principal caller without it sees no document. */
  readonly visibility?: AclVisibility;
}

const RANK: Record<RankedPermission, number> = { read: 1, write: 2, admin: 3 };

function isRanked(permission: Permission): permission is RankedPermission {
  return permission in RANK;
}

/**
 * admin includes write, write includes read. `acl:impersonate` stands alone: only a key that holds
 * it explicitly has it, and it grants nothing else.
 */
export function hasPermission(caller: Pick<Caller, "permissions">, needed: Permission): boolean {
  if (!isRanked(needed)) return caller.permissions.includes(needed);
  return caller.permissions.some((held) => isRanked(held) && RANK[held] >= RANK[needed]);
}

export function canReachNamespace(caller: Pick<Caller, "namespaces">, namespaceId: string): boolean {
  return caller.namespaces.length === 0 || caller.namespaces.includes(namespaceId);
}

/** Whether document ACLs apply to this caller (an org key acting for nobody sees everything). */
export function actsForPrincipal(caller: Pick<Caller, "principalId">): boolean {
  return caller.principalId !== undefined;
}
