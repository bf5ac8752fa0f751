import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result, validationFailed } from "@strata/errors";
import { type IssuedKey, insertKey } from "./create-key.js";
import { grantWithinCaller, requireAdmin } from "./key-access.js";
import { keyRevokedEvent, keyRotatedEvent } from "./key-events.js";
import type { ValidKeyInput } from "./key-input.js";
import { findVisibleKey } from "./manage-keys.js";
import type { AuthPorts } from "./ports.js";
import { API_KEYS_TABLE, type ApiKeyRecord, statusOf } from "./tables.js";

export const MAX_OVERLAP_SECONDS = 30 * 24 * 60 * 60;

export interface Rotation extends IssuedKey {
  /** The old key, now pointing at its replacement (and revoked when the overlap was 0). */
  readonly previous: ApiKeyRecord;
}

/**
 * Replaces a key with a new secret of the same name, permissions, scope and principal. The old key
 * keeps working for `overlapSeconds` (never past its own expiry), or stops at once with 0.
 */
export async function rotateKey(
  ports: AuthPorts,
  caller: Caller,
  request: { readonly keyId: string; readonly overlapSeconds: number },
): Promise<Result<Rotation, AppError>> {
  const allowed = requireAdmin(caller);
  if (!allowed.ok) return allowed;
  const { overlapSeconds } = request;
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_OVERLAP_SECONDS) {
    return err(
      validationFailed([
        {
          location: "body.overlap_seconds",
          message: `overlap_seconds must be an integer from 0 to ${MAX_OVERLAP_SECONDS}`,
          type: "invalid_value",
        },
      ]),
    );
  }

  const result = await retryOnConflict(() =>
    ports.store.transaction<Rotation, AppError | Conflict>(async (tx) => {
      const found = await findVisibleKey(tx, caller, request.keyId);
      if (!found.ok) return found;
      const { record: old, version } = found.value;
      const now = ports.clock();
      const status = statusOf(old, now);
      if (status !== "active") {
        return err(badRequest(`A ${status} key cannot be rotated`, { key_id: old.id, status }));
      }
      if (old.rotated_to !== null) {
        return err(
          badRequest("This key was already rotated", { key_id: old.id, rotated_to: old.rotated_to }),
        );
      }
      const grant = grantWithinCaller(caller, replacementOf(old, now));
      if (!grant.ok) return grant;

      const issued = await insertKey(
        ports,
        tx,
        grant.value,
        { organizationId: old.organization_id, createdBy: caller.keyId, rotatedFrom: old.id },
        now,
      );
      const previous = retire(old, issued.key.id, overlapSeconds, now);
      const replaced = await tx.table<ApiKeyRecord>(API_KEYS_TABLE).replace(previous, version);
      if (!replaced.ok) return err(CONFLICT);
      const event =
        previous.status === "revoked"
          ? keyRevokedEvent(previous, now.toISOString(), "rotated", now)
          : keyRotatedEvent(previous, issued.key.id, previous.expires_at ?? now.toISOString(), now);
      await ports.appendEvent(tx, event);
      return ok({ ...issued, previous });
    }),
  );
  if (result.ok) ports.eventsCommitted();
  return result;
}

/** The same grant as the old key; a time-limited key's replacement gets the same lifetime again. */
function replacementOf(old: ApiKeyRecord, now: Date): ValidKeyInput {
  const lifetimeMs = old.expires_at === null ? null : Date.parse(old.expires_at) - Date.parse(old.created_at);
  return {
    name: old.name,
    permissions: old.permissions,
    namespaces: old.namespaces,
    expiresAt: lifetimeMs === null ? null : new Date(now.getTime() + lifetimeMs),
    principalId: old.principal_id,
    roles: old.roles,
    attributes: old.attributes,
  };
}

function retire(old: ApiKeyRecord, replacementId: string, overlapSeconds: number, now: Date): ApiKeyRecord {
  if (overlapSeconds === 0) {
    return { ...old, status: "revoked", revoked_at: now.toISOString(), rotated_to: replacementId };
  }
  const overlapEnd = now.getTime() + overlapSeconds * 1000;
  const ownEnd = old.expires_at === null ? Number.POSITIVE_INFINITY : Date.parse(old.expires_at);
  return {
    ...old,
    rotated_to: replacementId,
    expires_at: new Date(Math.min(overlapEnd, ownEnd)).toISOString(),
  };
}
