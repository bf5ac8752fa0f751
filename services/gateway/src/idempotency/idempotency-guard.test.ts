import { describe, expect, it } from "vitest";
import { IdempotencyGuard, type IdempotentRequest } from "./idempotency-guard.js";
import type { IdempotencyStore } from "./idempotency-store.js";

/** An in-memory IdempotencyStore with the same compare-and-set rules as the NATS KV adapter. */
function memoryStore(): IdempotencyStore & { entries: Map<string, { value: Uint8Array; revision: number }> } {
  const entries = new Map<string, { value: Uint8Array; revision: number }>();
  let revision = 0;
  return {
    entries,
    async get(key) {
      return entries.get(key) ?? null;
    },
    async create(key, value) {
      if (entries.has(key)) return "exists";
      entries.set(key, { value, revision: ++revision });
      return revision;
    },
    async update(key, value, expected) {
      if (entries.get(key)?.revision !== expected) return "conflict";
      entries.set(key, { value, revision: ++revision });
      return revision;
    },
    async delete(key, expected) {
      if (entries.get(key)?.revision === expected) entries.delete(key);
    },
  };
}

const request = (overrides: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
  organizationId: "org_1",
  keyId: "key_1",
  apiKeySecret: "sk_live_secret",
  method: "POST",
  path: "/v1/api-keys",
  idempotencyKey: "abc",
  body: { name: "k" },
  ...overrides,
});

describe("IdempotencyGuard", () => {
  it("proceeds, then replays the stored answer for the same body", async () => {
    const guard = new IdempotencyGuard({ store: memoryStore() });
    const first = await guard.begin(request());
    if (!first.ok || first.value.kind !== "proceed") throw new Error("expected proceed");
    await first.value.finish({ status: 201, body: { api_key: "sk_live_x" } });
    expect(await guard.begin(request())).toEqual({
      ok: true,
      value: { kind: "replay", answer: { status: 201, body: { api_key: "sk_live_x" } } },
    });
  });

  it("answers 422 for another body, 409 while in flight, and takes over a stale pending entry", async () => {
    let now = 0;
    const guard = new IdempotencyGuard({ store: memoryStore(), now: () => now, pendingLeaseMs: 1000 });
    const first = await guard.begin(request());
    expect(first).toMatchObject({ ok: true, value: { kind: "proceed" } });
    expect(await guard.begin(request())).toMatchObject({ ok: false, error: { kind: "conflict" } });
    expect(await guard.begin(request({ body: { name: "other" } }))).toMatchObject({
      ok: false,
      error: { kind: "validation" },
    });
    now = 1500;
    expect(await guard.begin(request())).toMatchObject({ ok: true, value: { kind: "proceed" } });
  });

  it("gives the attempt that takes over from a dead one the same request token, and others another", async () => {
    let now = 0;
    const guard = new IdempotencyGuard({ store: memoryStore(), now: () => now, pendingLeaseMs: 1000 });
    const tokenOf = async (over: Partial<IdempotentRequest> = {}) => {
      const decision = await guard.begin(request(over));
      if (!decision.ok || decision.value.kind !== "proceed") throw new Error("expected proceed");
      return decision.value.requestToken;
    };
    const first = await tokenOf();
    now = 1500;
    expect(await tokenOf()).toBe(first);
    expect(first).toMatch(/^[A-Za-z0-9_-]{16,128}$/);
    expect(first).not.toContain("abc");
    const others = [
      await tokenOf({ idempotencyKey: "abd" }),
      await tokenOf({ keyId: "key_2" }),
      await tokenOf({ path: "/v1/namespaces" }),
    ];
    expect(new Set([first, ...others]).size).toBe(4);
    // Another body under the same key (possible once the entry expired) is another request.
    const guardAfterExpiry = new IdempotencyGuard({ store: memoryStore() });
    const later = await guardAfterExpiry.begin(request({ body: { name: "other" } }));
    if (!later.ok || later.value.kind !== "proceed") throw new Error("expected proceed");
    expect(later.value.requestToken).not.toBe(first);
  });

  it("forgets failed attempts so the retry runs", async () => {
    const guard = new IdempotencyGuard({ store: memoryStore() });
    const first = await guard.begin(request());
    if (!first.ok || first.value.kind !== "proceed") throw new Error("expected proceed");
    await first.value.finish({ status: 409, body: {} });
    expect(await guard.begin(request())).toMatchObject({ ok: true, value: { kind: "proceed" } });
  });

  it("stores nothing readable and cannot be opened with another secret", async () => {
    const store = memoryStore();
    const guard = new IdempotencyGuard({ store });
    const first = await guard.begin(request());
    if (!first.ok || first.value.kind !== "proceed") throw new Error("expected proceed");
    await first.value.finish({ status: 201, body: { api_key: "sk_live_topsecret" } });
    const raw = [...store.entries.values()].map((e) => Buffer.from(e.value).toString("utf8")).join("");
    expect(raw).not.toContain("topsecret");
    // Same key id but a different secret (impossible in practice) cannot open it.
    expect(await guard.begin(request({ apiKeySecret: "sk_live_other" }))).toMatchObject({ ok: false });
  });

  it("separates callers, paths and methods", async () => {
    const guard = new IdempotencyGuard({ store: memoryStore() });
    await guard.begin(request());
    for (const other of [
      { keyId: "key_2" },
      { organizationId: "org_2" },
      { path: "/v1/namespaces" },
      { method: "PUT" },
    ]) {
      expect(await guard.begin(request(other))).toMatchObject({ ok: true, value: { kind: "proceed" } });
    }
  });

  it("rejects unusable keys and reports a broken store as unavailable", async () => {
    const guard = new IdempotencyGuard({ store: memoryStore() });
    expect(await guard.begin(request({ idempotencyKey: "" }))).toMatchObject({
      ok: false,
      error: { kind: "validation" },
    });
    expect(await guard.begin(request({ idempotencyKey: "a\nb" }))).toMatchObject({ ok: false });
    const broken: IdempotencyStore = {
      get: () => Promise.reject(new Error("down")),
      create: () => Promise.reject(new Error("down")),
      update: () => Promise.reject(new Error("down")),
      delete: () => Promise.reject(new Error("down")),
    };
    expect(await new IdempotencyGuard({ store: broken }).begin(request())).toMatchObject({
      ok: false,
      error: { kind: "unavailable" },
    });
  });
});
