import type { Caller } from "@strata/access";
import {
  CONFLICT,
  type Conflict,
  type DocStoreSession,
  listPage,
  retryOnConflict,
  type Versioned,
} from "@strata/docstore";
import { type AppError, badRequest, err, notFound, ok, type Result } from "@strata/errors";
import { canSeeKey, requireAdmin } from "./key-access.js";
import { keyRevokedEvent } from "./key-events.js";
import type { AuthPorts } from "./ports.js";
import { API_KEYS_TABLE, type ApiKeyRecord } from "./tables.js";

export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;
// A namespace-restricted caller's keys are filtered after reading; bound the pages one call reads.
const MAX_PAGES_PER_LIST = 10;

/** Reads a key the caller may see; anything else (other org, other scope, missing) is not_found. */
export async function findVisibleKey(
  session: DocStoreSession,
  caller: Caller,
  keyId: string,
): Promise<Result<Versioned<ApiKeyRecord>, AppError>> {
  const found = await session.table<ApiKeyRecord>(API_KEYS_TABLE).get(keyId);
  if (found === undefined || !canSeeKey(caller, found.record)) return err(notFound("api_key", keyId));
  return ok(found);
}

export async function getKey(
  ports: AuthPorts,
  caller: Caller,
  keyId: string,
): Promise<Result<ApiKeyRecord, AppError>> {
  const allowed = requireAdmin(caller);
  if (!allowed.ok) return allowed;
  const found = await findVisibleKey(ports.store, caller, keyId);
  return found.ok ? ok(found.value.record) : found;
}

export interface KeyPage {
  readonly keys: readonly ApiKeyRecord[];
  readonly nextCursor: string | null;
}

/**
 * The caller's visible keys, newest first (created_at descending, ties by id), `limit` at most per page. A page
 * may hold fewer than `limit` keys and still have a next cursor when a restricted caller's scope
 * hides many keys; clients page until next_cursor is empty.
 */
export async function listKeys(
  ports: AuthPorts,
  caller: Caller,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<KeyPage, AppError>> {
  const allowed = requireAdmin(caller);
  if (!allowed.ok) return allowed;
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > LIST_LIMIT_MAX) {
    return err(badRequest(`limit must be between 1 and ${LIST_LIMIT_MAX}`, { limit: request.limit }));
  }
  const table = ports.store.table<ApiKeyRecord>(API_KEYS_TABLE);
  const where = {
    organization_id: caller.organizationId,
    ...(caller.principalId === undefined ? {} : { principal_id: caller.principalId }),
  };
  const keys: ApiKeyRecord[] = [];
  let cursor = request.cursor;
  for (let pages = 0; pages < MAX_PAGES_PER_LIST; pages++) {
    // Ask only for what is still missing, so the cursor always ends at the last key scanned.
    const page = await listPage(table, {
      where,
      limit: request.limit - keys.length,
      cursor,
      direction: "desc",
    });
    if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
    for (const { record } of page.value.records) if (canSeeKey(caller, record)) keys.push(record);
    if (page.value.nextCursor === null) return ok({ keys, nextCursor: null });
    cursor = page.value.nextCursor;
    if (keys.length === request.limit) break;
  }
  return ok({ keys, nextCursor: cursor ?? null });
}

/** Revokes a key; revoking a revoked key answers it unchanged and emits nothing. */
export async function revokeKey(
  ports: AuthPorts,
  caller: Caller,
  keyId: string,
): Promise<Result<ApiKeyRecord, AppError>> {
  const allowed = requireAdmin(caller);
  if (!allowed.ok) return allowed;
  let emitted = false;
  const result = await retryOnConflict(() =>
    ports.store.transaction<ApiKeyRecord, AppError | Conflict>(async (tx) => {
      emitted = false;
      const found = await findVisibleKey(tx, caller, keyId);
      if (!found.ok) return found;
      const { record, version } = found.value;
      if (record.status === "revoked") return ok(record);
      const now = ports.clock();
      const revoked: ApiKeyRecord = { ...record, status: "revoked", revoked_at: now.toISOString() };
      const replaced = await tx.table<ApiKeyRecord>(API_KEYS_TABLE).replace(revoked, version);
      if (!replaced.ok) return err(CONFLICT);
      await ports.appendEvent(tx, keyRevokedEvent(revoked, now.toISOString(), "revoked", now));
      emitted = true;
      return ok(revoked);
    }),
  );
  if (result.ok && emitted) ports.eventsCommitted();
  return result;
}
