import { buildEvent, type EventEnvelope } from "@strata/events";
import type { ApiKeyRecord } from "./tables.js";

const SERVICE = "auth";

function origin(key: ApiKeyRecord, time: Date) {
  return { service: SERVICE, organizationId: key.organization_id, subject: key.id, time };
}

export function keyCreatedEvent(key: ApiKeyRecord, time: Date): EventEnvelope<"api_key.created"> {
  return buildEvent("api_key.created", origin(key, time), {
    key_id: key.id,
    organization_id: key.organization_id,
    name: key.name,
    permissions: [...key.permissions],
    namespaces: [...key.namespaces],
    expires_at: key.expires_at,
    principal_id: key.principal_id,
    rotated_from: key.rotated_from,
  });
}

export function keyRevokedEvent(
  key: ApiKeyRecord,
  revokedAt: string,
  reason: "revoked" | "rotated" | "namespace_deleted",
  time: Date,
): EventEnvelope<"api_key.revoked"> {
  return buildEvent("api_key.revoked", origin(key, time), {
    key_id: key.id,
    organization_id: key.organization_id,
    revoked_at: revokedAt,
    reason,
  });
}

export function keyRotatedEvent(
  key: ApiKeyRecord,
  replacedBy: string,
  expiresAt: string,
  time: Date,
): EventEnvelope<"api_key.rotated"> {
  return buildEvent("api_key.rotated", origin(key, time), {
    key_id: key.id,
    organization_id: key.organization_id,
    replaced_by: replacedBy,
    expires_at: expiresAt,
  });
}
