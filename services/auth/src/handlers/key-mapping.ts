import { authV1, permissionFromProto as knownPermission, permissionToProto } from "@strata/proto";
import { type ApiKeyRecord, type KeyStatus, statusOf } from "../domain/tables.js";

/** Unknown enum values map to a name the domain's validation rejects with a proper issue. */
export function permissionFromProto(value: authV1.Permission): string {
  return knownPermission(value) ?? "unspecified";
}

function statusToProto(status: KeyStatus): authV1.KeyStatus {
  switch (status) {
    case "active":
      return authV1.KeyStatus.KEY_STATUS_ACTIVE;
    case "revoked":
      return authV1.KeyStatus.KEY_STATUS_REVOKED;
    case "expired":
      return authV1.KeyStatus.KEY_STATUS_EXPIRED;
  }
}

/** The answer shape of a key: never the hash, never the secret. */
export function keyToProto(key: ApiKeyRecord, now: Date): authV1.ApiKey {
  return {
    keyId: key.id,
    organizationId: key.organization_id,
    name: key.name,
    start: key.start,
    permissions: key.permissions.map(permissionToProto),
    namespaces: [...key.namespaces],
    expiresAt: key.expires_at === null ? undefined : new Date(key.expires_at),
    principalId: key.principal_id ?? undefined,
    roles: [...key.roles],
    attributes: { ...key.attributes },
    status: statusToProto(statusOf(key, now)),
    createdAt: new Date(key.created_at),
    revokedAt: key.revoked_at === null ? undefined : new Date(key.revoked_at),
    rotatedTo: key.rotated_to ?? undefined,
  };
}
