import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { runObjectStoreContract } from "../objectstore.contract.js";
import { openFsObjectStore } from "./fs-object-store.js";

const root = mkdtempSync(join(tmpdir(), "strata-objectstore-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

runObjectStoreContract("filesystem", () => openFsObjectStore({ root }));
