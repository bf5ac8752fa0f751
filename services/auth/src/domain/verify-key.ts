import { isWellFormedApiKey } from "@strata/ids";
import { hashSecret, sameHash } from "./key-secret.js";
import type { AuthPorts } from "./ports.js";
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
  return { valid: true, key: found.record };
}
