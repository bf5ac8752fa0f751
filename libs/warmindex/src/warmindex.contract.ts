import { describe } from "vitest";
import { crudContract } from "./contract/crud.contract.js";
import type { OpenWarmIndex, WarmIndexContractOptions } from "./contract/harness.js";
import { persistenceContract } from "./contract/persistence.contract.js";
import { randomOpsContract } from "./contract/random-ops.contract.js";
import { searchContract } from "./contract/search.contract.js";

export type { OpenWarmIndex, WarmIndexContractOptions } from "./contract/harness.js";

/**
 * The WarmIndex contract: one vitest suite every adapter passes (embedded on fs and on S3, S3 Vectors
 * against the fake and, when configured, against AWS). Not exported from index.ts: it imports vitest.
 */
export function runWarmIndexContract(
  name: string,
  open: OpenWarmIndex,
  options: WarmIndexContractOptions = {},
): void {
  describe(`WarmIndex contract: ${name}`, () => {
    crudContract(open);
    searchContract(open);
    persistenceContract(open, options);
    randomOpsContract(open);
  });
}
