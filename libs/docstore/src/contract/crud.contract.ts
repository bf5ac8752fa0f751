import { err } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { type ContractContext, type Doc, idsOf } from "./harness.js";

export function crudContract(ctx: ContractContext): void {
  describe("records", () => {
    it("inserts at version 1 and reads the record back", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      const record = { id: "a", name: "alpha", nested: { deep: [1, { x: "y" }] }, flag: false, none: null };
      const inserted = await t.insert(record);
      expect(inserted).toEqual({ ok: true, value: { record, version: 1 } });
      expect(await t.get("a")).toEqual({ record, version: 1 });
      expect(await t.get("missing")).toBeUndefined();
    });

    it("keeps its own copy: later changes to the caller's object do not leak in", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      const record = { id: "a", list: ["x"] };
      await t.insert(record);
      record.list.push("y");
      const read = await t.get("a");
      expect(read?.record).toEqual({ id: "a", list: ["x"] });
    });

    it("refuses a second record with the same id", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      await t.insert({ id: "a", v: 1 });
      expect(await t.insert({ id: "a", v: 2 })).toEqual(err("already_exists"));
      expect(await t.get("a")).toEqual({ record: { id: "a", v: 1 }, version: 1 });
    });

    it("replaces with compare-and-set and grows the version", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      await t.insert({ id: "a", v: 1 });
      const second = await t.replace({ id: "a", v: 2 }, 1);
      expect(second).toEqual({ ok: true, value: { record: { id: "a", v: 2 }, version: 2 } });
      expect(await t.replace({ id: "a", v: 3 }, 2)).toEqual({
        ok: true,
        value: { record: { id: "a", v: 3 }, version: 3 },
      });
      expect(await t.get("a")).toEqual({ record: { id: "a", v: 3 }, version: 3 });
    });

    it("reports version_conflict for a stale version and leaves the record alone", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      await t.insert({ id: "a", v: 1 });
      await t.replace({ id: "a", v: 2 }, 1);
      expect(await t.replace({ id: "a", v: 99 }, 1)).toEqual(err("version_conflict"));
      expect(await t.replace({ id: "a", v: 99 }, 3)).toEqual(err("version_conflict"));
      expect(await t.get("a")).toEqual({ record: { id: "a", v: 2 }, version: 2 });
    });

    it("reports not_found when replacing a missing record", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      expect(await t.replace({ id: "nope", v: 1 }, 1)).toEqual(err("not_found"));
      expect(await t.get("nope")).toBeUndefined();
    });

    it("replaces the whole record: fields left out are gone", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      await t.insert({ id: "a", keep: 1, drop: 2 });
      await t.replace({ id: "a", keep: 1 }, 1);
      expect((await t.get("a"))?.record).toEqual({ id: "a", keep: 1 });
      expect(await t.count({ drop: { $exists: true } })).toBe(0);
    });

    it("deletes without a version", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      await t.insert({ id: "a" });
      expect(await t.delete("a")).toBe(true);
      expect(await t.get("a")).toBeUndefined();
      expect(await t.delete("a")).toBe(false);
    });

    it("deletes with expectedVersion only when it matches", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      await t.insert({ id: "a" });
      await t.replace({ id: "a", v: 2 }, 1);
      expect(await t.delete("a", 1)).toBe(false);
      expect(await t.get("a")).toBeDefined();
      expect(await t.delete("a", 2)).toBe(true);
      expect(await t.get("a")).toBeUndefined();
      expect(await t.delete("missing", 1)).toBe(false);
    });

    it("counts and deletes many by query", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      for (let i = 0; i < 10; i++) await t.insert({ id: `r${i}`, n: i, even: i % 2 === 0 });
      expect(await t.count()).toBe(10);
      expect(await t.count({ even: true })).toBe(5);
      expect(await t.count({ n: { $gte: 7 } })).toBe(3);
      expect(await t.deleteMany({ even: true })).toBe(5);
      expect(await t.deleteMany({ even: true })).toBe(0);
      expect(await t.count()).toBe(5);
      expect(idsOf(await t.find())).toEqual(["r1", "r3", "r5", "r7", "r9"]);
    });

    it("lists the ids of the matching records, ascending, without their bodies", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      for (const i of [3, 1, 10, 2]) await t.insert({ id: `c/${i}`, n: i, even: i % 2 === 0 });
      expect(await t.ids()).toEqual(["c/1", "c/10", "c/2", "c/3"]);
      expect(await t.ids({ even: true })).toEqual(["c/10", "c/2"]);
      expect(await t.ids({ n: { $gt: 100 } })).toEqual([]);
      await t.delete("c/10");
      expect(await t.ids({ even: true })).toEqual(["c/2"]);
      await expect(t.ids({ "bad'field": 1 })).rejects.toThrow();
    });

    it("rejects a malformed query as a bug, not as an empty answer", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable());
      await expect(t.find({ where: { "bad'field": 1 } })).rejects.toThrow();
      await expect(t.find({ where: { "a..b": 1 } })).rejects.toThrow();
      await expect(t.find({ where: { $where: "1" } })).rejects.toThrow();
      await expect(t.find({ where: { n: { $regex: "x" } as never } })).rejects.toThrow();
      await expect(t.count({ n: { $gt: true } as never })).rejects.toThrow();
      await expect(t.find({ orderBy: [{ field: "x); DROP", direction: "asc" }] })).rejects.toThrow();
    });
  });

  describe("ensureTable", () => {
    it("is idempotent and keeps existing data", async () => {
      const spec = { indexes: [{ fields: ["email"], unique: true }, { fields: ["n"] }] };
      const name = await ctx.freshTable(spec);
      const t = ctx.store().table<Doc>(name);
      await t.insert({ id: "a", email: "a@x" });
      await ctx.store().ensureTable({ name, ...spec });
      await ctx.store().ensureTable({ name, ...spec });
      expect(await t.get("a")).toEqual({ record: { id: "a", email: "a@x" }, version: 1 });
      expect(await t.insert({ id: "b", email: "a@x" })).toEqual(err("already_exists"));
    });
  });

  describe("lifecycle", () => {
    it("answers ping while open, and close can be called twice", async () => {
      const store = await ctx.open();
      expect(await store.ping()).toBe(true);
      await ctx.close(store);
      expect(await store.ping()).toBe(false);
      await ctx.close(store);
    });

    it.runIf(ctx.options.persistent === true)("keeps data across close and reopen", async () => {
      const name = await ctx.freshTable({ indexes: [{ fields: ["email"], unique: true }] });
      const first = ctx.store().table<Doc>(name);
      await first.insert({ id: "a", email: "a@x", nested: { n: 1 } });
      await first.replace({ id: "a", email: "a@x", nested: { n: 2 } }, 1);
      await ctx.close(ctx.store());
      const reopened = await ctx.open();
      try {
        const t = reopened.table<Doc>(name);
        expect(await t.get("a")).toEqual({ record: { id: "a", email: "a@x", nested: { n: 2 } }, version: 2 });
        expect(await t.insert({ id: "b", email: "a@x" })).toEqual(err("already_exists"));
      } finally {
        await ctx.close(reopened);
      }
    });
  });
}
