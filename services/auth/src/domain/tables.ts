import type { Permission } from "@strata/access";
import type { StoredRecord, TableSpec } from "@strata/docstore";

export const ORGANIZATIONS_TABLE = "organizations";
export const API_KEYS_TABLE = "api_keys";
/** One row, written with the bootstrap organization: makes first-start bootstrap safe across replicas. */
export const AUTH_META_TABLE = "auth_meta";
/** Principals: the end users of an organization's application (ADR 0018). */
export const PRINCIPALS_TABLE = "principals";

export const AUTH_TABLE_SPECS: readonly TableSpec[] = [
  { name: ORGANIZATIONS_TABLE, indexes: [{ fields: ["created_at"] }] },
  {
    name: API_KEYS_TABLE,
    indexes: [
      // Verification looks keys up by hash; unique so two keys can never share a secret.
      { fields: ["hash"], unique: true },
      { fields: ["organization_id", "created_at"] },
    ],
  },
  { name: AUTH_META_TABLE },
  { name: PRINCIPALS_TABLE, indexes: [{ fields: ["organization_id", "created_at"] }] },
];

/** Keyed `<organization_id>/<principal_id>`: principal ids are the customer's, unique per organization. */
export interface PrincipalRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly principal_id: string;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly created_at: string;
  readonly updated_at: string;
}

export function principalKey(organizationId: string, principalId: string): string {
  return `${organizationId}/${principalId}`;
}

export interface OrganizationRecord extends StoredRecord {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
}

export type StoredKeyStatus = "active" | "revoked";
/** What callers see: "expired" is derived from expires_at, never stored. */
export type KeyStatus = StoredKeyStatus | "expired";

export interface ApiKeyRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly name: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  readonly hash: string;
  /** The displayable first characters of the secret. */
  readonly start: string;
  readonly permissions: readonly Permission[];
  /** Namespace ids the key is restricted to; empty = every namespace of the organization. */
  readonly namespaces: readonly string[];
  readonly expires_at: string | null;
  readonly principal_id: string | null;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly status: StoredKeyStatus;
  readonly created_at: string;
  readonly revoked_at: string | null;
  readonly rotated_to: string | null;
  readonly rotated_from: string | null;
  /** The key that created this one; null for keys the platform created (organization, bootstrap). */
  readonly created_by: string | null;
}

export interface BootstrapMarker extends StoredRecord {
  readonly id: "bootstrap";
  readonly organization_id: string;
  readonly created_at: string;
}

export function statusOf(key: ApiKeyRecord, now: Date): KeyStatus {
  if (key.status === "revoked") return "revoked";
  if (key.expires_at !== null && Date.parse(key.expires_at) <= now.getTime()) return "expired";
  return "active";
}
