import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";

/**
 * Stored answers can hold secrets (a created API key), so they are sealed with AES-256-GCM under a
 * key derived from the presented API key secret and the idempotency key: only a caller holding the
 * same secret can open them, and nothing secret sits in NATS in clear.
 */
export interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

const HKDF_INFO = "strata/gateway/idempotency/v1";

/** 32 bytes from HKDF-SHA256(ikm = API key secret, salt = idempotency key). */
export function deriveIdempotencyKey(apiKeySecret: string, idempotencyKey: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", Buffer.from(apiKeySecret, "utf8"), Buffer.from(idempotencyKey, "utf8"), HKDF_INFO, 32),
  );
}

export function seal(plaintext: string, key: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ct: ct.toString("base64"),
  };
}

/** The plaintext, or undefined when the key or the associated data do not match (or it was altered). */
export function open(sealed: Sealed, key: Buffer, aad: string): string | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, "base64")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return undefined;
  }
}

/**
 * A keyed fingerprint of the request body (HMAC, not a bare hash, so a stored fingerprint tells
 * nothing about a guessable body to someone without the secret). Keys are sorted first: the same
 * JSON written in another key order is the same request.
 */
export function bodyFingerprint(body: unknown, key: Buffer): string {
  return createHmac("sha256", key).update(canonicalJson(body), "utf8").digest("base64url");
}

export function storageKeyOf(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("|"), "utf8").digest("hex");
}

/**
 * The token a creating call carries to its service (ADR 0016): the service records it with what it
 * creates, so a retry finds that instead of creating again. Derived from the storage key and the
 * body fingerprint: opaque (never the Idempotency-Key itself), per caller, and another body under
 * the same key (a reuse after the entry expired) is another request.
 */
export function requestTokenOf(storageKey: string, fp: string): string {
  return createHash("sha256")
    .update(`strata/request-token/v1|${storageKey}|${fp}`, "utf8")
    .digest("base64url");
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
