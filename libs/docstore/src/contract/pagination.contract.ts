import { describe, expect, it } from "vitest";
import { listPage } from "../pagination.js";
import type { Table, Where } from "../port.js";
import { type ContractContext, type Doc, idsOf } from "./harness.js";

async function collect(
  table: Table<Doc>,
  limit: number,
  extra: { where?: Where; direction?: "asc" | "desc" },
): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listPage<Doc>>> = await listPage(table, {
      limit,
      cursor,
      ...extra,
    });
    if (!page.ok) throw new Error(page.error);
    pages.push(idsOf(page.value.records));
    cursor = page.value.nextCursor;
  } while (cursor !== null && pages.length < 100);
  return pages;
}

export function paginationContract(ctx: ContractContext): void {
  describe("listPage", () => {
    async function seeded(): Promise<{ table: Table<Doc>; expectedAsc: string[] }> {
      const table = ctx.store().table<Doc>(await ctx.freshTable({ indexes: [{ fields: ["created_at"] }] }));
      const rows: Doc[] = [];
      for (let i = 0; i < 23; i++) {
        // Every third record shares a timestamp with its neighbour, so ties must fall back on id.
        const second = String(Math.floor(i / 3) * 2).padStart(2, "0");
        rows.push({
          id: `doc_${String((i * 7) % 23).padStart(2, "0")}`,
          created_at: `2026-01-01T00:00:${second}Z`,
          i,
        });
      }
      rows.push({ id: "doc_undated_b", i: 100 }, { id: "doc_undated_a", i: 101 });
      for (const row of rows) await table.insert(row);
      const dated = rows.filter((r) => typeof r.created_at === "string");
      const expectedAsc = [
        "doc_undated_a",
        "doc_undated_b",
        ...dated
          .sort(
            (a, b) => String(a.created_at).localeCompare(String(b.created_at)) || a.id.localeCompare(b.id),
          )
          .map((r) => r.id),
      ];
      return { table, expectedAsc };
    }

    it("covers every record exactly once, in order, ascending", async () => {
      const { table, expectedAsc } = await seeded();
      const pages = await collect(table, 7, {});
      expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
      expect(pages.flat()).toEqual(expectedAsc);
    });

    it("covers every record exactly once, descending, with ties by id", async () => {
      const { table, expectedAsc } = await seeded();
      const pages = await collect(table, 4, { direction: "desc" });
      const undated = expectedAsc.slice(0, 2);
      const dated = expectedAsc.slice(2);
      const byTime = new Map<string, string[]>();
      for (const id of dated) {
        const record = (await table.get(id))?.record;
        const key = String(record?.created_at);
        byTime.set(key, [...(byTime.get(key) ?? []), id]);
      }
      const expectedDesc = [...byTime.keys()]
        .sort()
        .reverse()
        .flatMap((k) => byTime.get(k) ?? []);
      expect(pages.flat()).toEqual([...expectedDesc, ...undated]);
    });

    it("applies the where filter and ends with a null cursor on an exact last page", async () => {
      const { table } = await seeded();
      const where = { i: { $lt: 12 } };
      const pages = await collect(table, 4, { where });
      expect(pages.map((p) => p.length)).toEqual([4, 4, 4]);
      expect(new Set(pages.flat()).size).toBe(12);
      expect(pages.flat().sort()).toEqual(idsOf(await table.find({ where })).sort());
    });

    it("answers an empty table with one empty page", async () => {
      const table = ctx.store().table<Doc>(await ctx.freshTable());
      expect(await listPage(table, { limit: 10 })).toEqual({
        ok: true,
        value: { records: [], nextCursor: null },
      });
    });

    it("rejects malformed, edited and foreign cursors with invalid_cursor", async () => {
      const { table } = await seeded();
      const first = await listPage(table, { limit: 5 });
      if (!first.ok || first.value.nextCursor === null) throw new Error("expected a second page");
      const cursor = first.value.nextCursor;
      const flipped = `${cursor.slice(0, 12)}${cursor[12] === "A" ? "B" : "A"}${cursor.slice(13)}`;
      const forged = Buffer.from(JSON.stringify(["created_at", "asc", null, "x"])).toString("base64url");
      for (const bad of ["", "not a cursor!", "abc", flipped, cursor.slice(0, -3), forged, `${cursor}x`]) {
        expect(await listPage(table, { limit: 5, cursor: bad }), bad).toEqual({
          ok: false,
          error: "invalid_cursor",
        });
      }
      expect(await listPage(table, { limit: 5, cursor, orderField: "i" })).toEqual({
        ok: false,
        error: "invalid_cursor",
      });
      expect(await listPage(table, { limit: 5, cursor, direction: "desc" })).toEqual({
        ok: false,
        error: "invalid_cursor",
      });
      expect((await listPage(table, { limit: 5, cursor })).ok).toBe(true);
    });
  });
}
