import { z } from "zod";

/**
 * The verified caller, as the gateway passes it to services in gRPC metadata. Services trust it
 * only on calls that also carry the internal token (see internal-auth.ts).
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

export const CALLER_METADATA_KEY = "x-strata-caller";
export const INTERNAL_TOKEN_METADATA_KEY = "x-strata-internal-token";

const callerSchema = z.object({
  organizationId: z.string().min(1),
  keyId: z.string().min(1),
  permissions: z.array(z.enum(PERMISSIONS)),
  namespaces: z.array(z.string()),
  principalId: z.string().optional(),
  roles: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
});

export function encodeCaller(caller: Caller): string {
  return Buffer.from(JSON.stringify(caller), "utf8").toString("base64url");
}

export function decodeCaller(value: string): Caller | undefined {
  try {
    const parsed = callerSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const RANK: Record<Permission, number> = { read: 1, write: 2, admin: 3 };

/** admin includes write, write includes read. */
export function hasPermission(caller: Pick<Caller, "permissions">, needed: Permission): boolean {
  return caller.permissions.some((held) => RANK[held] >= RANK[needed]);
}

export function canReachNamespace(caller: Pick<Caller, "namespaces">, namespaceId: string): boolean {
  return caller.namespaces.length === 0 || caller.namespaces.includes(namespaceId);
}
