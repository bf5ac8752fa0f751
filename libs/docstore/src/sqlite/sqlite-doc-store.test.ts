import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { err, ok } from "@strata/errors";
import { afterAll, describe, expect, it } from "vitest";
import type { StoredRecord } from "../port.js";
import { openSqliteDocStore } from "./sqlite-doc-store.js";

interface Item extends StoredRecord {
  readonly n: number;
  readonly tag: string;
}

interface Doc extends StoredRecord {
  readonly email: string;
}

const dir = mkdtempSync(join(tmpdir(), "strata-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SQLite DocStore", () => {
  it("inserts 10,000 records in one transaction", async () => {
    const store = openSqliteDocStore({ path: join(dir, "bulk.db") });
    await store.ensureTable({ name: "items", indexes: [{ fields: ["tag"] }] });
    const result = await store.transaction(async (tx) => {
      const items = tx.table<Item>("items");
      for (let i = 0; i < 10_000; i++) {
        const inserted = await items.insert({ id: `item_${i}`, n: i, tag: i % 10 === 0 ? "ten" : "other" });
        if (!inserted.ok) return err(inserted.error);
      }
      return ok(await items.count());
    });
    expect(result).toEqual(ok(10_000));
    const items = store.table<Item>("items");
    expect(await items.count({ tag: "ten" })).toBe(1_000);
    expect(await items.get("item_9999")).toEqual({
      record: { id: "item_9999", n: 9999, tag: "other" },
      version: 1,
    });
    await store.close();
  });

  it("throws instead of deadlocking when the store itself is used inside its own transaction", async () => {
    const store = openSqliteDocStore({ path: ":memory:" });
    await store.ensureTable({ name: "t" });
    const run = store.transaction(async () => {
      await store.table("t").get("a");
      return ok(1);
    });
    await expect(run).rejects.toThrow(/inside its own transaction/);
    expect(await store.table("t").count()).toBe(0);
    await store.close();
  });

  it("with reentryCheck off, queues a call on the store made inside its transaction until it commits", async () => {
    const store = openSqliteDocStore({ path: ":memory:", reentryCheck: false });
    await store.ensureTable({ name: "t" });
    let direct: Promise<unknown> | undefined;
    await store.transaction(async (tx) => {
      // Not awaited: awaiting it is the deadlock the check reports when it is on.
      direct = store.table("t").get("a");
      await tx.table("t").insert({ id: "a" });
      return ok(1);
    });
    await expect(direct).resolves.toEqual({ record: { id: "a" }, version: 1 });
    await store.close();
  });

  it("refuses a transaction session used after its transaction ended", async () => {
    const store = openSqliteDocStore({ path: ":memory:" });
    await store.ensureTable({ name: "t" });
    let leaked: (() => Promise<unknown>) | undefined;
    await store.transaction(async (tx) => {
      leaked = () => tx.table("t").insert({ id: "late" });
      return ok(undefined);
    });
    await expect(leaked?.()).rejects.toThrow(/already over/);
    expect(await store.table("t").count()).toBe(0);
    await store.close();
  });

  it("shares a file between two stores (two processes) and sees each other's commits", async () => {
    const path = join(dir, "shared.db");
    const a = openSqliteDocStore({ path });
    const b = openSqliteDocStore({ path });
    await a.ensureTable({ name: "t", indexes: [{ fields: ["email"], unique: true }] });
    await a.table<Doc>("t").insert({ id: "x", email: "x@y" });
    expect(await b.table("t").get("x")).toEqual({ record: { id: "x", email: "x@y" }, version: 1 });
    expect(await b.table<Doc>("t").insert({ id: "z", email: "x@y" })).toEqual(err("already_exists"));
    await a.close();
    await b.close();
  });

  it("rejects operations after close", async () => {
    const store = openSqliteDocStore({ path: ":memory:" });
    await store.ensureTable({ name: "t" });
    await store.close();
    await expect(store.table("t").get("a")).rejects.toThrow(/closed/);
  });

  it("rejects table names that are not plain identifiers", () => {
    const store = openSqliteDocStore({ path: ":memory:" });
    expect(() => store.table('x"; DROP TABLE y; --')).toThrow(/invalid table name/);
  });
});
