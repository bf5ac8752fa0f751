import type { Caller } from "@strata/access";
import type { DocStoreSession } from "@strata/docstore";
import { type AppError, ok, type Result } from "@strata/errors";
import { newId } from "@strata/ids";
import { grantWithinCaller, requireAdmin } from "./key-access.js";
import { keyCreatedEvent } from "./key-events.js";
import { type NewKeyInput, type ValidKeyInput, validateNewKey } from "./key-input.js";
import { issueSecret } from "./key-secret.js";
import type { AuthPorts } from "./ports.js";
import { API_KEYS_TABLE, type ApiKeyRecord } from "./tables.js";

export interface IssuedKey {
  readonly key: ApiKeyRecord;
  /** Shown to the caller once. */
  readonly secret: string;
}

export interface KeyOrigin {
  readonly organizationId: string;
  readonly createdBy: string | null;
  readonly rotatedFrom: string | null;
}

/** Inserts a new active key and its api_key.created event inside `tx`. */
export async function insertKey(
  ports: AuthPorts,
  tx: DocStoreSession,
  grant: ValidKeyInput,
  from: KeyOrigin,
  now: Date,
): Promise<IssuedKey> {
  const issued = issueSecret();
  const key: ApiKeyRecord = {
    id: newId("apiKey"),
    organization_id: from.organizationId,
    name: grant.name,
    hash: issued.hash,
    start: issued.start,
    permissions: grant.permissions,
    namespaces: grant.namespaces,
    expires_at: grant.expiresAt === null ? null : grant.expiresAt.toISOString(),
    principal_id: grant.principalId,
    roles: grant.roles,
    attributes: grant.attributes,
    status: "active",
    created_at: now.toISOString(),
    revoked_at: null,
    rotated_to: null,
    rotated_from: from.rotatedFrom,
    created_by: from.createdBy,
  };
  const inserted = await tx.table<ApiKeyRecord>(API_KEYS_TABLE).insert(key);
  // Fresh random ids and 256-bit secrets do not collide; if they do, something is badly wrong.
  if (!inserted.ok) throw new Error("a freshly generated API key collided with a stored one");
  await ports.appendEvent(tx, keyCreatedEvent(key, now));
  return { key, secret: issued.secret };
}

export async function createKey(
  ports: AuthPorts,
  caller: Caller,
  input: NewKeyInput,
): Promise<Result<IssuedKey, AppError>> {
  const allowed = requireAdmin(caller);
  if (!allowed.ok) return allowed;
  const now = ports.clock();
  const valid = validateNewKey(input, now);
  if (!valid.ok) return valid;
  const grant = grantWithinCaller(caller, valid.value);
  if (!grant.ok) return grant;

  const from = { organizationId: caller.organizationId, createdBy: caller.keyId, rotatedFrom: null };
  const result = await ports.store.transaction<IssuedKey, AppError>(async (tx) =>
    ok(await insertKey(ports, tx, grant.value, from, now)),
  );
  if (result.ok) ports.eventsCommitted();
  return result;
}
