import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { runDocStoreContract } from "../docstore.contract.js";
import { openSqliteDocStore } from "./sqlite-doc-store.js";

const dir = mkdtempSync(join(tmpdir(), "strata-docstore-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runDocStoreContract(
  "sqlite file",
  async () => openSqliteDocStore({ path: join(dir, "store.db") }),
  undefined,
  {
    persistent: true,
  },
);
runDocStoreContract("sqlite :memory:", async () => openSqliteDocStore({ path: ":memory:" }));
