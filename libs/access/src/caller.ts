/**
 * Who is calling, as the gateway verified it. This is identity, not transport: domains decide
 * with it, and the gRPC lib only carries it between services (libs/grpc encodes it in metadata).
 */
export const PERMISSIONS = ["read", "write", "admin"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Caller {
  readonly organizationId: string;
  readonly keyId: string;
  readonly permissions: readonly Permission[];
  /** Namespace ids the key is restricted to; empty means every namespace of the organization. */
  readonly namespaces: readonly string[];
  /** Set on end-user keys, which document ACLs apply to. */
  readonly principalId?: string;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
}

const RANK: Record<Permission, number> = { read: 1, write: 2, admin: 3 };

/** admin includes write, write includes read. */
export function hasPermission(caller: Pick<Caller, "permissions">, needed: Permission): boolean {
  return caller.permissions.some((held) => RANK[held] >= RANK[needed]);
}

export function canReachNamespace(caller: Pick<Caller, "namespaces">, namespaceId: string): boolean {
  return caller.namespaces.length === 0 || caller.namespaces.includes(namespaceId);
}
