import type { Caller } from "@strata/access";
import { err, ok, unavailable } from "@strata/errors";
import { generateApiKeySecret } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { ApiKeyVerifier, bearerSecret, type VerifiedKey, type VerifyKeyRemote } from "./api-key-verifier.js";

const caller = (keyId: string): Caller => ({
  organizationId: "org_1",
  keyId,
  permissions: ["read"],
  namespaces: [],
  roles: [],
  attributes: {},
});

function setup(answers: Map<string, VerifiedKey | null>, options: { ttlMs?: number } = {}) {
  let now = 1_000_000;
  const calls: string[] = [];
  const remote: VerifyKeyRemote = async (secret) => {
    calls.push(secret);
    return ok(answers.get(secret) ?? null);
  };
  const verifier = new ApiKeyVerifier({ remote, ttlMs: options.ttlMs ?? 30_000, now: () => now });
  return { verifier, calls, advance: (ms: number) => (now += ms), now: () => now };
}

describe("ApiKeyVerifier", () => {
  it("caches a valid key and serves it without asking again", async () => {
    const secret = generateApiKeySecret();
    const { verifier, calls } = setup(new Map([[secret, { caller: caller("key_a") }]]));
    expect(await verifier.verifySecret(secret)).toMatchObject({ ok: true });
    expect(await verifier.verifySecret(secret)).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
  });

  it("asks again after the TTL, and never serves a key past its own expiry", async () => {
    const secret = generateApiKeySecret();
    const answers = new Map<string, VerifiedKey | null>();
    const { verifier, calls, advance, now } = setup(answers, { ttlMs: 10_000 });
    answers.set(secret, { caller: caller("key_a"), expiresAt: new Date(now() + 3_000) });
    expect((await verifier.verifySecret(secret)).ok).toBe(true);
    advance(3_001);
    answers.set(secret, null);
    expect((await verifier.verifySecret(secret)).ok).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it("drops every cached answer of a key id on invalidateKey", async () => {
    const secret = generateApiKeySecret();
    const answers = new Map<string, VerifiedKey | null>([[secret, { caller: caller("key_a") }]]);
    const { verifier, calls } = setup(answers);
    await verifier.verifySecret(secret);
    answers.set(secret, null);
    verifier.invalidateKey("key_a");
    expect((await verifier.verifySecret(secret)).ok).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it("asks the service for every key while the invalidation feed may have a gap, and caches again after", async () => {
    const secret = generateApiKeySecret();
    const answers = new Map<string, VerifiedKey | null>([[secret, { caller: caller("key_a") }]]);
    const { verifier, calls } = setup(answers);
    await verifier.verifySecret(secret);
    verifier.suspendCache();
    // Revoked while the feed was silent: refused at once, no stale cache entry served.
    answers.set(secret, null);
    expect(await verifier.verifySecret(secret)).toMatchObject({ ok: false });
    expect(await verifier.verifySecret(secret)).toMatchObject({ ok: false });
    expect(calls).toHaveLength(3);
    verifier.resumeCache();
    await verifier.verifySecret(secret);
    await verifier.verifySecret(secret);
    expect(calls).toHaveLength(4);
  });

  it("drops the cached answers of every key bound to a principal on invalidatePrincipal", async () => {
    const [alice1, alice2, bob] = [generateApiKeySecret(), generateApiKeySecret(), generateApiKeySecret()];
    const bound = (keyId: string, principalId: string, roles: string[]): VerifiedKey => ({
      caller: { ...caller(keyId), principalId, roles },
    });
    const answers = new Map<string, VerifiedKey | null>([
      [alice1, bound("key_a1", "alice", ["analyst"])],
      [alice2, bound("key_a2", "alice", ["analyst"])],
      [bob, bound("key_b", "bob", ["analyst"])],
    ]);
    const { verifier, calls } = setup(answers);
    for (const secret of [alice1, alice2, bob]) await verifier.verifySecret(secret);
    answers.set(alice1, bound("key_a1", "alice", []));
    answers.set(alice2, bound("key_a2", "alice", []));
    verifier.invalidatePrincipal("org_1", "alice");
    for (const secret of [alice1, alice2, bob]) await verifier.verifySecret(secret);
    // Alice's two keys are asked again and come back without the role; Bob's answer stays cached.
    expect(calls).toEqual([alice1, alice2, bob, alice1, alice2]);
    const again = await verifier.verifySecret(alice1);
    expect(again.ok && again.value.caller.roles).toEqual([]);
  });

  it("does not cache an answer that was in flight while an invalidation arrived", async () => {
    const secret = generateApiKeySecret();
    let release: () => void = () => undefined;
    const calls: string[] = [];
    const verifier = new ApiKeyVerifier({
      ttlMs: 30_000,
      remote: async (s) => {
        calls.push(s);
        if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return ok({ caller: caller("key_a") });
      },
    });
    const pending = verifier.verifySecret(secret);
    await new Promise((resolve) => setTimeout(resolve, 5));
    verifier.invalidateKey("key_a");
    release();
    expect((await pending).ok).toBe(true);
    await verifier.verifySecret(secret);
    expect(calls).toHaveLength(2);
  });

  it("never calls the service for a malformed header and does not cache infrastructure failures", async () => {
    const calls: string[] = [];
    const verifier = new ApiKeyVerifier({
      ttlMs: 30_000,
      remote: async (s) => {
        calls.push(s);
        return err(unavailable("down"));
      },
    });
    for (const header of [undefined, "", "Bearer", "Basic abc", "Bearer sk_live_abc", "Bearer a b"]) {
      expect(await verifier.verifyAuthorizationHeader(header)).toMatchObject({
        ok: false,
        error: { kind: "unauthorized" },
      });
    }
    expect(calls).toHaveLength(0);
    const secret = generateApiKeySecret();
    expect(await verifier.verifyAuthorizationHeader(`Bearer ${secret}`)).toMatchObject({
      ok: false,
      error: { kind: "unavailable" },
    });
    await verifier.verifyAuthorizationHeader(`bearer ${secret}`);
    expect(calls).toHaveLength(2);
  });

  it("stays within its size bound", async () => {
    const answers = new Map<string, VerifiedKey | null>();
    const secrets = Array.from({ length: 5 }, (_, i) => {
      const s = generateApiKeySecret();
      answers.set(s, { caller: caller(`key_${i}`) });
      return s;
    });
    const calls: string[] = [];
    const verifier = new ApiKeyVerifier({
      ttlMs: 30_000,
      maxEntries: 2,
      remote: async (s) => {
        calls.push(s);
        return ok(answers.get(s) ?? null);
      },
    });
    for (const s of secrets) await verifier.verifySecret(s);
    const [first] = secrets;
    if (first === undefined) throw new Error("no secrets");
    await verifier.verifySecret(first);
    expect(calls).toHaveLength(6);
  });
});

describe("bearerSecret", () => {
  it("reads the token of a Bearer header, scheme case-insensitive", () => {
    expect(bearerSecret("Bearer abc")).toBe("abc");
    expect(bearerSecret("bearer abc")).toBe("abc");
    expect(bearerSecret("Basic abc")).toBeUndefined();
    expect(bearerSecret("Bearer a b")).toBeUndefined();
    expect(bearerSecret(undefined)).toBeUndefined();
  });
});
