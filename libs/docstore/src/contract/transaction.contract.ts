import { err, ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { type ContractContext, type Doc, idsOf } from "./harness.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export function transactionContract(ctx: ContractContext): void {
  describe("transactions", () => {
    it("commits every write when work returns ok, and passes the value on", async () => {
      const name = await ctx.freshTable();
      const t = ctx.store().table<Doc>(name);
      await t.insert({ id: "old", v: 1 });
      const result = await ctx.store().transaction(async (tx) => {
        const table = tx.table<Doc>(name);
        await table.insert({ id: "a", v: 1 });
        await table.insert({ id: "b", v: 1 });
        const replaced = await table.replace({ id: "old", v: 2 }, 1);
        await table.delete("b");
        return replaced.ok ? ok(replaced.value.version) : err(replaced.error);
      });
      expect(result).toEqual(ok(2));
      expect(idsOf(await t.find())).toEqual(["a", "old"]);
      expect(await t.get("old")).toEqual({ record: { id: "old", v: 2 }, version: 2 });
    });

    it("sees its own writes inside the transaction", async () => {
      const name = await ctx.freshTable();
      const result = await ctx.store().transaction(async (tx) => {
        const table = tx.table<Doc>(name);
        await table.insert({ id: "a", n: 1 });
        await table.insert({ id: "b", n: 2 });
        await table.replace({ id: "a", n: 3 }, 1);
        return ok({
          got: await table.get("a"),
          count: await table.count({ n: { $gte: 2 } }),
          found: idsOf(await table.find({ orderBy: [{ field: "n", direction: "desc" }] })),
          ids: await table.ids({ n: { $gte: 2 } }),
        });
      });
      expect(result).toEqual(
        ok({ got: { record: { id: "a", n: 3 }, version: 2 }, count: 2, found: ["a", "b"], ids: ["a", "b"] }),
      );
    });

    it("rolls back every write when work returns an error, and passes the error on", async () => {
      const name = await ctx.freshTable();
      const t = ctx.store().table<Doc>(name);
      await t.insert({ id: "keep", v: 1 });
      await t.insert({ id: "gone", v: 1 });
      const result = await ctx.store().transaction(async (tx) => {
        const table = tx.table<Doc>(name);
        await table.insert({ id: "new", v: 1 });
        await table.replace({ id: "keep", v: 2 }, 1);
        await table.delete("gone");
        await table.deleteMany({});
        return err({ reason: "nope" });
      });
      expect(result).toEqual(err({ reason: "nope" }));
      expect(await t.find()).toEqual([
        { record: { id: "gone", v: 1 }, version: 1 },
        { record: { id: "keep", v: 1 }, version: 1 },
      ]);
    });

    it("rolls back and rethrows when work throws", async () => {
      const name = await ctx.freshTable();
      const t = ctx.store().table<Doc>(name);
      await t.insert({ id: "keep", v: 1 });
      const boom = new Error("boom");
      const run = ctx.store().transaction(async (tx) => {
        await tx.table<Doc>(name).insert({ id: "new" });
        await tx.table<Doc>(name).replace({ id: "keep", v: 2 }, 1);
        throw boom;
      });
      await expect(run).rejects.toBe(boom);
      expect(await t.find()).toEqual([{ record: { id: "keep", v: 1 }, version: 1 }]);
    });

    it("rolls back and throws when work returns something that is not a Result", async () => {
      const name = await ctx.freshTable();
      const t = ctx.store().table<Doc>(name);
      const run = ctx.store().transaction(async (tx) => {
        await tx.table<Doc>(name).insert({ id: "new" });
        return undefined as never;
      });
      await expect(run).rejects.toThrow();
      expect(await t.count()).toBe(0);
      await t.insert({ id: "after" });
      expect(idsOf(await t.find())).toEqual(["after"]);
    });

    it("returns a unique violation as a value inside the transaction", async () => {
      const name = await ctx.freshTable({ indexes: [{ fields: ["email"], unique: true }] });
      const t = ctx.store().table<Doc>(name);
      await t.insert({ id: "a", email: "x@y" });
      const result = await ctx.store().transaction(async (tx) => {
        const table = tx.table<Doc>(name);
        await table.insert({ id: "b", email: "other" });
        const second = await table.insert({ id: "c", email: "x@y" });
        return second.ok ? ok("inserted") : err(second.error);
      });
      expect(result).toEqual(err("already_exists"));
      expect(idsOf(await t.find())).toEqual(["a"]);
    });

    it("hides uncommitted writes from callers outside the transaction", async () => {
      const name = await ctx.freshTable();
      const t = ctx.store().table<Doc>(name);
      await t.insert({ id: "a", v: 1 });
      const written = deferred();
      const release = deferred();
      const run = ctx.store().transaction(async (tx) => {
        await tx.table<Doc>(name).replace({ id: "a", v: 2 }, 1);
        await tx.table<Doc>(name).insert({ id: "b", v: 1 });
        written.resolve();
        await release.promise;
        return err("rolled back");
      });
      await written.promise;
      // Started while the transaction is open; an adapter may answer at once or after it ends.
      const outside = Promise.all([t.get("a"), t.get("b"), t.count()]);
      release.resolve();
      expect(await run).toEqual(err("rolled back"));
      expect(await outside).toEqual([{ record: { id: "a", v: 1 }, version: 1 }, undefined, 1]);
    });

    it("lets a write from outside wait for, or conflict with, an open transaction but never mix into it", async () => {
      const name = await ctx.freshTable();
      const t = ctx.store().table<Doc>(name);
      const written = deferred();
      const release = deferred();
      const run = ctx.store().transaction(async (tx) => {
        await tx.table<Doc>(name).insert({ id: "inside" });
        written.resolve();
        await release.promise;
        return err("rolled back");
      });
      await written.promise;
      const outside = t.insert({ id: "outside" });
      release.resolve();
      await run;
      expect(await outside).toEqual(ok({ record: { id: "outside" }, version: 1 }));
      expect(idsOf(await t.find())).toEqual(["outside"]);
    });

    it("runs transactions one after another without losing updates", async () => {
      const name = await ctx.freshTable();
      const t = ctx.store().table<Doc>(name);
      await t.insert({ id: "counter", n: 0 });
      const increment = () =>
        ctx.store().transaction(async (tx) => {
          const table = tx.table<Doc>(name);
          const current = await table.get("counter");
          if (!current) return err("missing");
          const replaced = await table.replace(
            { id: "counter", n: Number(current.record.n) + 1 },
            current.version,
          );
          return replaced.ok ? ok(replaced.value.version) : err(replaced.error);
        });
      const results = await Promise.all(Array.from({ length: 5 }, increment));
      const committed = results.filter((r) => r.ok).length;
      expect(committed).toBeGreaterThan(0);
      expect(results.every((r) => r.ok || r.error === "version_conflict")).toBe(true);
      expect(await t.get("counter")).toEqual({
        record: { id: "counter", n: committed },
        version: committed + 1,
      });
    });
  });
}
