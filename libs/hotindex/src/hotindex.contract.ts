import { describe } from "vitest";
import { crudContract } from "./contract/crud.contract.js";
import type { HotIndexContractOptions, OpenHotIndex } from "./contract/harness.js";
import { persistenceContract } from "./contract/persistence.contract.js";
import { scaleContract } from "./contract/scale.contract.js";
import { searchContract } from "./contract/search.contract.js";
import { stagingContract } from "./contract/staging.contract.js";

export type { HotIndexContractOptions, OpenHotIndex } from "./contract/harness.js";

/**
 * The HotIndex contract: one vitest suite every adapter must pass. `open(store)` opens the index
 * behind a store name (the same name after `close` must show the same data when `persistent`);
 * every test uses its own namespace, so a shared server is fine. Not exported from index.ts
 * because it imports vitest.
 */
export function runHotIndexContract(
  name: string,
  open: OpenHotIndex,
  options: HotIndexContractOptions = {},
): void {
  describe(`HotIndex contract: ${name}`, () => {
    crudContract(open);
    searchContract(open);
    persistenceContract(open, options);
    scaleContract(open);
    stagingContract(open, options);
  });
}
