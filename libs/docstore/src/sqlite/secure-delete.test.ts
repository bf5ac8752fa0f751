import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { StoredRecord } from "../port.js";
import { openSqliteDocStore } from "./sqlite-doc-store.js";

interface Note extends StoredRecord {
  readonly text: string;
}

const dir = mkdtempSync(join(tmpdir(), "strata-sqlite-delete-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SQLite DocStore deletes", () => {
  it("leave no deleted text in the database file", async () => {
    const path = join(dir, "notes.db");
    const store = openSqliteDocStore({ path });
    await store.ensureTable({ name: "notes" });
    const notes = store.table<Note>("notes");
    const secret = "deleted-secret-7f3c9a";
    for (let i = 0; i < 50; i++) {
      const inserted = await notes.insert({ id: `note-${i}`, text: `${secret} ${"x".repeat(200)} ${i}` });
      expect(inserted.ok).toBe(true);
    }
    expect(await notes.deleteMany({})).toBe(50);
    // Closing checkpoints the WAL into the file and removes the WAL: what stays is the file alone.
    await store.close();
    expect(readFileSync(path).includes(secret)).toBe(false);
  });
});
