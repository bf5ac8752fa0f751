import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesOf, type ContractContext, chunkedStream, readAll, sha256Hex } from "./harness.js";

export function copyDeleteContract(ctx: ContractContext): void {
  describe("copy", () => {
    it("copies body, content type and metadata, leaving the source as it was", async () => {
      const p = ctx.prefix();
      const bytes = randomBytes(1_500_000);
      await ctx
        .store()
        .put(`${p}src/a`, chunkedStream(bytes), { contentType: "image/png", metadata: { m: "1" } });
      const copied = await ctx.store().copy(`${p}src/a`, `${p}dst/b`);
      if (!copied.ok) throw new Error("copy failed");
      expect(copied.value).toMatchObject({
        key: `${p}dst/b`,
        size: bytes.byteLength,
        sha256: sha256Hex(bytes),
        contentType: "image/png",
        metadata: { m: "1" },
      });
      for (const key of [`${p}src/a`, `${p}dst/b`]) {
        const got = await ctx.store().get(key);
        if (!got.ok) throw new Error(`get ${key} failed`);
        expect(got.value.info).toMatchObject({ contentType: "image/png", metadata: { m: "1" } });
        expect((await readAll(got.value.body)).equals(bytes)).toBe(true);
      }
    });

    it("replaces an existing target and copies a key onto itself", async () => {
      const p = ctx.prefix();
      await ctx.store().put(`${p}a`, bytesOf("from a"));
      await ctx.store().put(`${p}b`, bytesOf("old b"), { metadata: { old: "yes" } });
      expect((await ctx.store().copy(`${p}a`, `${p}b`)).ok).toBe(true);
      const got = await ctx.store().get(`${p}b`);
      if (!got.ok) throw new Error("get failed");
      expect(got.value.info.metadata).toEqual({});
      expect((await readAll(got.value.body)).toString()).toBe("from a");
      const self = await ctx.store().copy(`${p}a`, `${p}a`);
      expect(self.ok && self.value.size).toBe(6);
    });

    it("reports not_found for a missing source and creates nothing", async () => {
      const p = ctx.prefix();
      expect(await ctx.store().copy(`${p}none`, `${p}target`)).toEqual({ ok: false, error: "not_found" });
      expect(await ctx.store().copy(`${p}no/such/dir`, `${p}target`)).toEqual({
        ok: false,
        error: "not_found",
      });
      expect(await ctx.store().head(`${p}target`)).toBeUndefined();
    });
  });

  describe("delete", () => {
    it("deletes one object and says whether it existed", async () => {
      const p = ctx.prefix();
      await ctx.store().put(`${p}d/x`, bytesOf("x"));
      await ctx.store().put(`${p}d/y`, bytesOf("y"));
      expect(await ctx.store().delete(`${p}d/x`)).toBe(true);
      expect(await ctx.store().delete(`${p}d/x`)).toBe(false);
      expect(await ctx.store().delete(`${p}never`)).toBe(false);
      expect(await ctx.store().get(`${p}d/x`)).toEqual({ ok: false, error: "not_found" });
      expect((await ctx.store().list(p, { limit: 10 })).items.map((item) => item.key)).toEqual([`${p}d/y`]);
      // A key may be reused after its delete, and a deleted "directory" can hold a file of its name.
      expect(await ctx.store().delete(`${p}d/y`)).toBe(true);
      expect((await ctx.store().put(`${p}d`, bytesOf("now a leaf"))).ok).toBe(true);
      expect((await ctx.store().list(p, { limit: 10 })).items.map((item) => item.key)).toEqual([`${p}d`]);
    });

    it("deletes everything under a prefix, in batches past 1000, and nothing else", async () => {
      const p = ctx.prefix();
      const inside = Array.from({ length: 1_003 }, (_, i) => `${p}ns_1/${i % 2 === 0 ? "b/" : ""}o${i}`);
      const outside = [`${p}ns_10/o`, `${p}ns_1`, `${p}ns_0/o`];
      const all = [...inside, ...outside];
      for (let i = 0; i < all.length; i += 32) {
        const slice = all.slice(i, i + 32);
        const results = await Promise.all(slice.map((key) => ctx.store().put(key, bytesOf("."))));
        expect(results.every((result) => result.ok)).toBe(true);
      }
      expect(await ctx.store().deletePrefix(`${p}ns_1/`)).toBe(inside.length);
      expect(await ctx.store().list(`${p}ns_1/`, { limit: 10 })).toEqual({ items: [], nextCursor: null });
      const left = (await ctx.store().list(p, { limit: 10 })).items.map((item) => item.key);
      expect(left).toEqual([...outside].sort());
      expect(await ctx.store().deletePrefix(`${p}ns_1/`)).toBe(0);
      expect(await ctx.store().deletePrefix(`${p}ns_`)).toBe(3);
      expect((await ctx.store().list(p, { limit: 10 })).items).toEqual([]);
    }, 120_000);
  });

  describe("ping", () => {
    it("answers true when the store is reachable", async () => {
      expect(await ctx.store().ping()).toBe(true);
    });
  });
}
