import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import { type AppError, err, ok, type Result } from "@strata/errors";
import { keyRevokedEvent } from "./key-events.js";
import type { AuthPorts } from "./ports.js";
import { API_KEYS_TABLE, type ApiKeyRecord } from "./tables.js";

export interface NamespaceKeysOutcome {
  /** Keys restricted to the deleted namespace alone: revoked. */
  readonly revoked: number;
  /** Keys restricted to it and others: it left their list. */
  readonly narrowed: number;
}

// Each pass takes this many keys; a key is changed in its own transaction.
const PAGE = 100;

/**
 * After a namespace is deleted, no key may keep a claim on it. A key restricted to it alone is
 * revoked (with api_key.revoked, so gateways drop it at once): taking the namespace off its list
 * would leave the list empty, and an empty list means every namespace of the organization. A key
 * restricted to it and others keeps working for the others.
 */
export async function retireDeletedNamespaceFromKeys(
  ports: AuthPorts,
  organizationId: string,
  namespaceId: string,
): Promise<Result<NamespaceKeysOutcome, AppError>> {
  let revoked = 0;
  let narrowed = 0;
  for (;;) {
    const claims = await ports.store.table<ApiKeyRecord>(API_KEYS_TABLE).find({
      where: { organization_id: organizationId, status: "active", namespaces: { $contains: namespaceId } },
      limit: PAGE,
    });
    if (claims.length === 0) return ok({ revoked, narrowed });
    for (const { record } of claims) {
      const changed = await retireFromKey(ports, record.id, namespaceId);
      if (!changed.ok) return changed;
      if (changed.value === "revoked") revoked += 1;
      if (changed.value === "narrowed") narrowed += 1;
    }
  }
}

async function retireFromKey(
  ports: AuthPorts,
  keyId: string,
  namespaceId: string,
): Promise<Result<"revoked" | "narrowed" | "unchanged", AppError>> {
  let emitted = false;
  const result = await retryOnConflict(() =>
    ports.store.transaction<"revoked" | "narrowed" | "unchanged", AppError | Conflict>(async (tx) => {
      emitted = false;
      const table = tx.table<ApiKeyRecord>(API_KEYS_TABLE);
      const found = await table.get(keyId);
      if (found === undefined) return ok("unchanged");
      const { record, version } = found;
      if (record.status !== "active" || !record.namespaces.includes(namespaceId)) return ok("unchanged");
      const others = record.namespaces.filter((id) => id !== namespaceId);
      const now = ports.clock();
      // Revoked, the key keeps its list: it shows what the key was for, and grants nothing.
      const next: ApiKeyRecord =
        others.length === 0
          ? { ...record, status: "revoked", revoked_at: now.toISOString() }
          : { ...record, namespaces: others };
      const replaced = await table.replace(next, version);
      if (!replaced.ok) return err(CONFLICT);
      if (others.length > 0) return ok("narrowed");
      await ports.appendEvent(tx, keyRevokedEvent(next, now.toISOString(), "namespace_deleted", now));
      emitted = true;
      return ok("revoked");
    }),
  );
  if (result.ok && emitted) ports.eventsCommitted();
  return result;
}
