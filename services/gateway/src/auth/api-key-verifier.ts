import { createHash } from "node:crypto";
import type { Caller } from "@strata/access";
import { type AppError, err, ok, type Result, unauthorized } from "@strata/errors";
import { isWellFormedApiKey } from "@strata/ids";
import { BoundedTtlCache } from "./bounded-ttl-cache.js";

/** What the auth service says about a valid key. */
export interface VerifiedKey {
  readonly caller: Caller;
  /** The key's own expiry; the cache never serves the key past it. */
  readonly expiresAt?: Date;
}

/** Asks the auth service; `null` means "not a usable key" (unknown, revoked or expired). */
export type VerifyKeyRemote = (secret: string) => Promise<Result<VerifiedKey | null, AppError>>;

export type AuthCacheResult = "hit" | "miss" | "negative_hit" | "malformed";

export interface ApiKeyVerifierOptions {
  readonly remote: VerifyKeyRemote;
  readonly ttlMs: number;
  /** How long an invalid key is remembered, so a flood of bad keys does not reach the service. */
  readonly negativeTtlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
  readonly onLookup?: (result: AuthCacheResult) => void;
}

type CacheEntry = { readonly kind: "valid"; readonly key: VerifiedKey } | { readonly kind: "invalid" };

// One message for every way a key can fail, so no answer reveals whether a key exists.
const INVALID_KEY = unauthorized("Missing or invalid API key");

/**
 * Verifies presented secrets, caching answers by SHA-256(secret) so the secret itself is never
 * held. Entries for a key id are dropped on `api_key.revoked`/`api_key.rotated` (see
 * `invalidateKey`); an epoch counter keeps an answer that was in flight while an invalidation
 * arrived from being cached (it may predate the revocation).
 */
export class ApiKeyVerifier {
  readonly #options: ApiKeyVerifierOptions;
  readonly #cache: BoundedTtlCache<CacheEntry>;
  readonly #hashesByKeyId = new Map<string, Set<string>>();
  /** Key ids cached per `<organization>/<principal>`: a principal change drops its keys' answers. */
  readonly #keyIdsByPrincipal = new Map<string, Set<string>>();
  readonly #now: () => number;
  #epoch = 0;
  /** While the invalidation feed may have a gap, every key is asked of the auth service. */
  #suspended = false;

  constructor(options: ApiKeyVerifierOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#cache = new BoundedTtlCache<CacheEntry>({
      maxEntries: options.maxEntries ?? 50_000,
      onEvict: (hash, entry) => {
        if (entry.kind !== "valid") return;
        const keyId = entry.key.caller.keyId;
        const hashes = this.#hashesByKeyId.get(keyId);
        hashes?.delete(hash);
        if (hashes?.size === 0) this.#hashesByKeyId.delete(keyId);
      },
    });
  }

  /** The caller behind an `Authorization` header value, or why there is none. */
  async verifyAuthorizationHeader(header: string | undefined): Promise<Result<Caller, AppError>> {
    const secret = bearerSecret(header);
    if (secret === undefined || !isWellFormedApiKey(secret)) {
      this.#options.onLookup?.("malformed");
      return err(INVALID_KEY);
    }
    const verified = await this.verifySecret(secret);
    return verified.ok ? ok(verified.value.caller) : verified;
  }

  async verifySecret(secret: string): Promise<Result<VerifiedKey, AppError>> {
    const hash = createHash("sha256").update(secret, "utf8").digest("base64url");
    const cached = this.#suspended ? undefined : this.#cache.get(hash, this.#now());
    if (cached !== undefined) {
      this.#options.onLookup?.(cached.kind === "valid" ? "hit" : "negative_hit");
      return cached.kind === "valid" ? ok(cached.key) : err(INVALID_KEY);
    }
    this.#options.onLookup?.("miss");
    const epoch = this.#epoch;
    const answer = await this.#options.remote(secret);
    if (!answer.ok) return answer;
    const now = this.#now();
    const key = answer.value;
    if (key !== null && key.expiresAt !== undefined && key.expiresAt.getTime() <= now) {
      return err(INVALID_KEY);
    }
    if (epoch === this.#epoch && !this.#suspended) this.#remember(hash, key, now);
    return key === null ? err(INVALID_KEY) : ok(key);
  }

  /** Drops every cached answer for a key id: it was revoked, rotated or changed. */
  invalidateKey(keyId: string): void {
    this.#epoch += 1;
    const hashes = this.#hashesByKeyId.get(keyId);
    if (hashes === undefined) return;
    for (const hash of [...hashes]) this.#cache.delete(hash);
    this.#hashesByKeyId.delete(keyId);
  }

  /** Drops the cached answers of every key bound to a principal whose roles or attributes changed. */
  invalidatePrincipal(organizationId: string, principalId: string): void {
    this.#epoch += 1;
    const principal = `${organizationId}/${principalId}`;
    for (const keyId of this.#keyIdsByPrincipal.get(principal) ?? []) this.invalidateKey(keyId);
    this.#keyIdsByPrincipal.delete(principal);
  }

  /** Drops everything, e.g. after a gap in the event feed when invalidations may have been missed. */
  invalidateAll(): void {
    this.#epoch += 1;
    this.#cache.clear();
    this.#hashesByKeyId.clear();
    this.#keyIdsByPrincipal.clear();
  }

  /**
   * The invalidation feed may have missed events (its NATS node died, the connection dropped):
   * forget everything and ask the auth service for every key until `resumeCache`, so a key revoked
   * meanwhile is refused at once instead of when the feed comes back.
   */
  suspendCache(): void {
    this.#suspended = true;
    this.invalidateAll();
  }

  /** The feed is live again: cache from now on (answers still in flight are not cached). */
  resumeCache(): void {
    this.#suspended = false;
    this.#epoch += 1;
  }

  #remember(hash: string, key: VerifiedKey | null, now: number): void {
    if (key === null) {
      this.#cache.set(hash, { kind: "invalid" }, now + (this.#options.negativeTtlMs ?? 2_000));
      return;
    }
    const ttlEnd = now + this.#options.ttlMs;
    const expiresAt = key.expiresAt === undefined ? ttlEnd : Math.min(ttlEnd, key.expiresAt.getTime());
    this.#cache.set(hash, { kind: "valid", key }, expiresAt);
    const keyId = key.caller.keyId;
    const hashes = this.#hashesByKeyId.get(keyId) ?? new Set<string>();
    hashes.add(hash);
    this.#hashesByKeyId.set(keyId, hashes);
    const { organizationId, principalId } = key.caller;
    if (principalId !== undefined) {
      const principal = `${organizationId}/${principalId}`;
      const keyIds = this.#keyIdsByPrincipal.get(principal) ?? new Set<string>();
      keyIds.add(keyId);
      this.#keyIdsByPrincipal.set(principal, keyIds);
    }
  }
}

/** The secret of `Bearer <secret>` (scheme case-insensitive per RFC 7235), else undefined. */
export function bearerSecret(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
