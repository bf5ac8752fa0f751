import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../port.js";
import { matchesWhere } from "./match-where.js";
import { createMemoryDocStore } from "./memory-doc-store.js";

interface Doc extends StoredRecord {
  readonly list: string[];
}

describe("memory DocStore", () => {
  it("hands out copies: changing a returned record does not change the store", async () => {
    const store = createMemoryDocStore();
    await store.ensureTable({ name: "t" });
    const t = store.table<Doc>("t");
    const inserted = await t.insert({ id: "a", list: ["x"] });
    if (inserted.ok) inserted.value.record.list.push("from insert");
    const read = await t.get("a");
    read?.record.list.push("from get");
    const [found] = await t.find();
    found?.record.list.push("from find");
    expect((await t.get("a"))?.record).toEqual({ id: "a", list: ["x"] });
  });

  it("fails loudly on a table nobody ensured", async () => {
    const store = createMemoryDocStore();
    await expect(store.table("nope").get("a")).rejects.toThrow(/ensureTable/);
  });

  it("refuses a unique index over data that already breaks it", async () => {
    const store = createMemoryDocStore();
    await store.ensureTable({ name: "t" });
    await store.table("t").insert({ id: "a", email: "x" } as StoredRecord);
    await store.table("t").insert({ id: "b", email: "x" } as StoredRecord);
    await expect(
      store.ensureTable({ name: "t", indexes: [{ fields: ["email"], unique: true }] }),
    ).rejects.toThrow(/unique/);
  });
});

describe("matchesWhere", () => {
  const record = { id: "a", n: 3, s: "3", b: true, tags: ["x"], meta: { year: 2020 }, nil: null };

  it("is type-strict", () => {
    expect(matchesWhere(record, { n: 3 })).toBe(true);
    expect(matchesWhere(record, { n: "3" })).toBe(false);
    expect(matchesWhere(record, { s: { $gt: 2 } })).toBe(false);
    expect(matchesWhere(record, { b: 1 })).toBe(false);
    expect(matchesWhere(record, { tags: "x" })).toBe(false);
    expect(matchesWhere(record, { tags: { $contains: "x" } })).toBe(true);
  });

  it("treats null as null-or-absent", () => {
    expect(matchesWhere(record, { nil: null })).toBe(true);
    expect(matchesWhere(record, { missing: null })).toBe(true);
    expect(matchesWhere(record, { nil: { $exists: true } })).toBe(false);
    expect(matchesWhere(record, { n: { $exists: true } })).toBe(true);
  });

  it("walks dotted paths but not into arrays", () => {
    expect(matchesWhere(record, { "meta.year": { $gte: 2020, $lt: 2021 } })).toBe(true);
    const withList = { id: "b", items: [{ k: 1 }] };
    expect(matchesWhere(withList, { "items.k": 1 })).toBe(false);
    expect(matchesWhere(withList, { "items.k": null })).toBe(true);
  });

  it("compares strings by code point, as SQLite and MongoDB do", () => {
    // U+FF01 is one UTF-16 unit above the surrogates that encode U+1F600, but a lower code point.
    expect(matchesWhere({ id: "a", s: "\u{1F600}" }, { s: { $gt: "\uFF01" } })).toBe(true);
  });

  it("throws on malformed queries", () => {
    expect(() => matchesWhere(record, { "a b": 1 })).toThrow();
    expect(() => matchesWhere(record, { $nor: [] } as never)).toThrow();
  });
});
