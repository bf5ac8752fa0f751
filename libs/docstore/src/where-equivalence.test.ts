import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchesWhere } from "./memory/match-where.js";
import type { Scalar, StoredRecord, Where } from "./port.js";
import { openSqliteDocStore } from "./sqlite/sqlite-doc-store.js";

/**
 * The SQLite translation and the in-memory predicate must agree on every query: random records
 * built from look-alike values (1, "1", true, null, arrays, objects) against random queries.
 */
const scalar: fc.Arbitrary<Scalar> = fc.constantFrom(0, 1, 2, 1.5, "1", "2", "a", "b", "", true, false, null);
const value: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.record({ x: scalar }, { requiredKeys: [] }),
);
const field = fc.constantFrom("f", "g", "o.x");
const record = fc.record({ f: value, g: value, o: value }, { requiredKeys: [] });
const comparable = fc.constantFrom(0, 1, 1.5, "1", "a", "");

const leaf: fc.Arbitrary<Where> = fc.oneof(
  fc.tuple(field, scalar).map(([f, v]) => ({ [f]: v })),
  fc.tuple(field, scalar).map(([f, v]) => ({ [f]: { $ne: v } })),
  fc
    .tuple(field, fc.constantFrom("$gt", "$gte", "$lt", "$lte"), comparable)
    .map(([f, op, v]) => ({ [f]: { [op]: v } })),
  fc.tuple(field, fc.array(scalar, { maxLength: 3 })).map(([f, vs]) => ({ [f]: { $in: vs } })),
  fc.tuple(field, fc.array(scalar, { maxLength: 3 })).map(([f, vs]) => ({ [f]: { $nin: vs } })),
  fc.tuple(field, fc.boolean()).map(([f, e]) => ({ [f]: { $exists: e } })),
  fc.tuple(field, scalar).map(([f, v]) => ({ [f]: { $contains: v } })),
  fc.tuple(field, fc.array(scalar, { maxLength: 3 })).map(([f, vs]) => ({ [f]: { $containsAny: vs } })),
);
const where: fc.Arbitrary<Where> = fc.letrec<{ w: Where }>((tie) => ({
  w: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("w"), { maxLength: 3 }).map((ws) => ({ $and: ws })),
    fc.array(tie("w"), { maxLength: 3 }).map((ws) => ({ $or: ws })),
    tie("w").map((w) => ({ $not: w })),
  ),
})).w;

describe("SQLite queries agree with matchesWhere", () => {
  it("on random records and queries", async () => {
    const store = openSqliteDocStore({ path: ":memory:" });
    await store.ensureTable({ name: "t", indexes: [{ fields: ["f"] }] });
    const table = store.table<StoredRecord>("t");
    const records = fc.sample(record, { numRuns: 60, seed: 42 }).map((r, i) => ({ id: `r${i}`, ...r }));
    for (const r of records) await table.insert(r);
    await fc.assert(
      fc.asyncProperty(where, async (w) => {
        const expected = records.filter((r) => matchesWhere(r, w)).map((r) => r.id);
        const found = (await table.find({ where: w })).map((v) => v.record.id);
        expect(found.sort()).toEqual(expected.sort());
      }),
      { numRuns: 400 },
    );
    await store.close();
  });
});
