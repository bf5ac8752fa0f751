import { err, ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { insertOnce } from "../insert-once.js";
import { type ContractContext, type Doc, idsOf } from "./harness.js";

export function uniqueContract(ctx: ContractContext): void {
  describe("unique indexes", () => {
    const emailUnique = { indexes: [{ fields: ["email"], unique: true }] };

    it("refuses an insert that repeats a unique value", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable(emailUnique));
      expect((await t.insert({ id: "a", email: "x@y" })).ok).toBe(true);
      expect(await t.insert({ id: "b", email: "x@y" })).toEqual(err("already_exists"));
      expect(idsOf(await t.find())).toEqual(["a"]);
      expect((await t.insert({ id: "c", email: "X@y" })).ok).toBe(true);
    });

    it("inserts a derived-id record once: present when its id is there, unique_taken when its value is another's", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable(emailUnique));
      expect(await insertOnce(t, { id: "a", email: "a@y" })).toBe("inserted");
      expect(await insertOnce(t, { id: "a", email: "a@y", more: 1 })).toBe("present");
      expect(await insertOnce(t, { id: "b", email: "a@y" })).toBe("unique_taken");
      expect(await t.get("a")).toEqual({ record: { id: "a", email: "a@y" }, version: 1 });
      expect(idsOf(await t.find())).toEqual(["a"]);
    });

    it("refuses a replace that takes another record's unique value", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable(emailUnique));
      await t.insert({ id: "a", email: "a@y" });
      await t.insert({ id: "b", email: "b@y" });
      expect(await t.replace({ id: "b", email: "a@y" }, 1)).toEqual(err("already_exists"));
      expect(await t.get("b")).toEqual({ record: { id: "b", email: "b@y" }, version: 1 });
      // Keeping one's own value is not a conflict.
      expect(await t.replace({ id: "b", email: "b@y", more: 1 }, 1)).toEqual(
        ok({ record: { id: "b", email: "b@y", more: 1 }, version: 2 }),
      );
    });

    it("frees a value when its record is deleted or changes it", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable(emailUnique));
      await t.insert({ id: "a", email: "a@y" });
      await t.insert({ id: "b", email: "b@y" });
      await t.delete("a");
      expect((await t.insert({ id: "c", email: "a@y" })).ok).toBe(true);
      await t.replace({ id: "b", email: "new@y" }, 1);
      expect((await t.insert({ id: "d", email: "b@y" })).ok).toBe(true);
    });

    it("does not constrain records where the field is absent or null", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable(emailUnique));
      await t.insert({ id: "a" });
      expect((await t.insert({ id: "b" })).ok).toBe(true);
      expect((await t.insert({ id: "c", email: null })).ok).toBe(true);
      expect((await t.insert({ id: "d", email: null })).ok).toBe(true);
    });

    it("keeps values of different types apart", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable(emailUnique));
      await t.insert({ id: "a", email: "1" });
      expect((await t.insert({ id: "b", email: 1 })).ok).toBe(true);
      expect(await t.insert({ id: "c", email: 1 })).toEqual(err("already_exists"));
    });

    it("constrains the combination of a compound index, nested fields included", async () => {
      const t = ctx
        .store()
        .table<Doc>(await ctx.freshTable({ indexes: [{ fields: ["org", "key.name"], unique: true }] }));
      await t.insert({ id: "a", org: "o1", key: { name: "k" } });
      expect((await t.insert({ id: "b", org: "o2", key: { name: "k" } })).ok).toBe(true);
      expect((await t.insert({ id: "c", org: "o1", key: { name: "other" } })).ok).toBe(true);
      expect(await t.insert({ id: "d", org: "o1", key: { name: "k" } })).toEqual(err("already_exists"));
    });

    it("leaves non-unique indexes free of constraints", async () => {
      const t = ctx.store().table<Doc>(await ctx.freshTable({ indexes: [{ fields: ["email"] }] }));
      await t.insert({ id: "a", email: "x" });
      expect((await t.insert({ id: "b", email: "x" })).ok).toBe(true);
      expect(await t.count({ email: "x" })).toBe(2);
    });
  });
}
