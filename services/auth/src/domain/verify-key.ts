import { isWellFormedApiKey } from "@strata/ids";
import { hashSecret, sameHash } from "./key-secret.js";
import type { AuthPorts } from "./ports.js";
import { resolvePrincipal } from "./principals.js";
import { API_KEYS_TABLE, type ApiKeyRecord, statusOf } from "./tables.js";

export type Verification = { readonly valid: true; readonly key: ApiKeyRecord } | { readonly valid: false };

const INVALID: Verification = { valid: false };

/**
 * Checks a presented secret. Unknown, revoked and expired keys answer the same `{valid:false}` so
 * the answer never tells whether a key exists. Malformed secrets are refused before any lookup.
 */
export async function verifyKey(
  ports: Pick<AuthPorts, "store" | "clock">,
  secret: string,
): Promise<Verification> {
  if (!isWellFormedApiKey(secret)) return INVALID;
  const hash = hashSecret(secret);
  const [found] = await ports.store.table<ApiKeyRecord>(API_KEYS_TABLE).find({ where: { hash }, limit: 1 });
  // The index lookup is an equality match already; the constant-time compare keeps the final
  // decision independent of how many hash characters matched.
  if (found === undefined || !sameHash(found.record.hash, hash)) return INVALID;
  if (statusOf(found.record, ports.clock()) !== "active") return INVALID;
  return { valid: true, key: await withPrincipal(ports, found.record) };
}

/**
 * A key bound to a stored principal acts with the principal's current roles and attributes, so a
 * changed role applies to every key of that principal (ADR 0018). A key whose principal id names no
 * stored principal keeps the roles and attributes it was created with.
 */
async function withPrincipal(ports: Pick<AuthPorts, "store">, key: ApiKeyRecord): Promise<ApiKeyRecord> {
  if (key.principal_id === null) return key;
  const principal = await resolvePrincipal(ports, key.organization_id, key.principal_id);
  if (principal === undefined) return key;
  return { ...key, roles: [...principal.roles], attributes: { ...principal.attributes } };
}
