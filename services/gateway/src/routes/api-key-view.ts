import { PERMISSIONS } from "@strata/access";
import { authV1, permissionFromProto } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, stringOrNull, timestamp } from "./common.js";

export const permissionSchema = z.enum(PERMISSIONS);

export const apiKeySchema = z
  .object({
    key_id: z.string(),
    organization_id: z.string(),
    name: z.string(),
    start: z.string().describe("The first characters of the secret, safe to display"),
    permissions: z.array(permissionSchema),
    namespaces: z.array(z.string()).describe("Namespace ids; empty means every namespace"),
    expires_at: timestamp.nullable(),
    principal_id: z.string().nullable(),
    roles: z.array(z.string()),
    attributes: z.record(z.string(), z.unknown()),
    status: z.enum(["active", "revoked", "expired", "unknown"]),
    created_at: timestamp,
    revoked_at: timestamp.nullable(),
    rotated_to: z.string().nullable(),
  })
  .meta({ id: "ApiKey" });

export type ApiKeyView = z.infer<typeof apiKeySchema>;

export function apiKeyView(key: authV1.ApiKey | undefined): ApiKeyView {
  if (key === undefined) throw new Error("the auth service answered without a key");
  return {
    key_id: key.keyId,
    organization_id: key.organizationId,
    name: key.name,
    start: key.start,
    permissions: key.permissions.flatMap((p) => {
      const name = permissionFromProto(p);
      return name === undefined ? [] : [name];
    }),
    namespaces: [...key.namespaces],
    expires_at: isoOrNull(key.expiresAt),
    principal_id: stringOrNull(key.principalId),
    roles: [...key.roles],
    attributes: { ...(key.attributes ?? {}) },
    status: statusName(key.status),
    created_at: isoOrNull(key.createdAt) ?? new Date(0).toISOString(),
    revoked_at: isoOrNull(key.revokedAt),
    rotated_to: stringOrNull(key.rotatedTo),
  };
}

function statusName(value: authV1.KeyStatus): ApiKeyView["status"] {
  switch (value) {
    case authV1.KeyStatus.KEY_STATUS_ACTIVE:
      return "active";
    case authV1.KeyStatus.KEY_STATUS_REVOKED:
      return "revoked";
    case authV1.KeyStatus.KEY_STATUS_EXPIRED:
      return "expired";
    case authV1.KeyStatus.KEY_STATUS_UNSPECIFIED:
    case authV1.KeyStatus.UNRECOGNIZED:
      return "unknown";
  }
}
