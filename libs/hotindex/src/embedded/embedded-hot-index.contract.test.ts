import { join } from "node:path";
import { tempDir } from "@strata/testkit";
import { afterAll } from "vitest";
import { runHotIndexContract } from "../hotindex.contract.js";
import { openEmbeddedHotIndex } from "./embedded-hot-index.js";

const base = await tempDir("strata-hotindex");
afterAll(() => base.remove());

runHotIndexContract("embedded", (store) => openEmbeddedHotIndex({ dir: join(base.path, store) }), {
  persistent: true,
  reportsIndexing: true,
  stagesInvisibly: true,
});
