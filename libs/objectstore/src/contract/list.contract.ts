import { describe, expect, it } from "vitest";
import type { ObjectInfo, ObjectStore } from "../port.js";
import { bytesOf, type ContractContext, sha256Hex } from "./harness.js";

async function putAll(store: ObjectStore, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const put = await store.put(key, bytesOf(`body of ${key}`));
    if (!put.ok) throw new Error(`put ${key} failed`);
  }
}

async function listAll(
  store: ObjectStore,
  prefix: string,
  limit: number,
): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await store.list(prefix, cursor === undefined ? { limit } : { limit, cursor });
    pages += 1;
    expect(page.items.length).toBeLessThanOrEqual(limit);
    keys.push(...page.items.map((item: ObjectInfo) => item.key));
    if (page.nextCursor === null) return { keys, pages };
    cursor = page.nextCursor;
    if (pages > 1000) throw new Error("list never ends");
  }
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function listContract(ctx: ContractContext): void {
  describe("list", () => {
    it("lists in byte-wise key order across nesting and punctuation", async () => {
      const p = ctx.prefix();
      const names = ["a", "a-b", "a.c", "a/b", "a/b/c", "a/b-", "a0", "A", "Z/z", "_x", "b", "a_", "a/a"];
      const keys = names.map((name) => `${p}${name}`);
      await putAll(ctx.store(), [...keys].reverse());
      const { keys: listed } = await listAll(ctx.store(), p, 1000);
      expect(listed).toEqual([...keys].sort(byteOrder));
    });

    it("returns full object info for each item", async () => {
      const p = ctx.prefix();
      await ctx
        .store()
        .put(`${p}one`, bytesOf("hello"), { contentType: "text/plain", metadata: { tag: "t1" } });
      const page = await ctx.store().list(p, { limit: 10 });
      expect(page.nextCursor).toBeNull();
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({
        key: `${p}one`,
        size: 5,
        sha256: sha256Hex(bytesOf("hello")),
        contentType: "text/plain",
        metadata: { tag: "t1" },
      });
      expect(page.items[0]?.lastModified).toBeInstanceOf(Date);
    });

    it("pages through everything exactly once and ends with a null cursor", async () => {
      const p = ctx.prefix();
      const keys = Array.from(
        { length: 23 },
        (_, i) => `${p}${i % 3 === 0 ? "d/" : ""}k${String(i).padStart(2, "0")}`,
      );
      await putAll(ctx.store(), keys);
      for (const limit of [1, 4, 23, 100]) {
        const { keys: listed, pages } = await listAll(ctx.store(), p, limit);
        expect(listed).toEqual([...keys].sort(byteOrder));
        expect(pages).toBe(Math.max(1, Math.ceil(keys.length / limit)));
      }
    });

    it("matches prefixes that end mid-segment or at a slash", async () => {
      const p = ctx.prefix();
      await putAll(ctx.store(), [
        `${p}ab`,
        `${p}abc`,
        `${p}ab/x`,
        `${p}ab/y/z`,
        `${p}a`,
        `${p}ac/ab`,
        `${p}b/ab`,
      ]);
      expect((await listAll(ctx.store(), `${p}ab`, 2)).keys).toEqual([
        `${p}ab`,
        `${p}ab/x`,
        `${p}ab/y/z`,
        `${p}abc`,
      ]);
      expect((await listAll(ctx.store(), `${p}ab/`, 2)).keys).toEqual([`${p}ab/x`, `${p}ab/y/z`]);
      expect((await listAll(ctx.store(), `${p}ab/y/`, 5)).keys).toEqual([`${p}ab/y/z`]);
      expect(await ctx.store().list(`${p}nothing/`, { limit: 5 })).toEqual({ items: [], nextCursor: null });
    });

    it("keeps cursors stable while keys are added and removed", async () => {
      const p = ctx.prefix();
      await putAll(
        ctx.store(),
        ["b", "d", "f", "h"].map((name) => `${p}${name}`),
      );
      const first = await ctx.store().list(p, { limit: 2 });
      expect(first.items.map((item) => item.key)).toEqual([`${p}b`, `${p}d`]);
      const cursor = first.nextCursor;
      if (cursor === null) throw new Error("expected a cursor");
      await putAll(ctx.store(), [`${p}a`, `${p}c`, `${p}e`]);
      await ctx.store().delete(`${p}b`);
      await ctx.store().delete(`${p}f`);
      const rest = await listAll(ctx.store(), p, 2);
      expect(rest.keys).toEqual([`${p}a`, `${p}c`, `${p}d`, `${p}e`, `${p}h`]);
      const second = await ctx.store().list(p, { limit: 10, cursor });
      expect(second.items.map((item) => item.key)).toEqual([`${p}e`, `${p}h`]);
      expect(second.nextCursor).toBeNull();
    });

    it("rejects a limit outside 1..1000", async () => {
      await expect(ctx.store().list(ctx.prefix(), { limit: 0 })).rejects.toThrow(/limit/);
      await expect(ctx.store().list(ctx.prefix(), { limit: 1001 })).rejects.toThrow(/limit/);
    });
  });
}
