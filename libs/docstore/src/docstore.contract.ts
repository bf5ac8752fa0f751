import { describe } from "vitest";
import { crudContract } from "./contract/crud.contract.js";
import { type ContractOptions, useStore } from "./contract/harness.js";
import { paginationContract } from "./contract/pagination.contract.js";
import { transactionContract } from "./contract/transaction.contract.js";
import { uniqueContract } from "./contract/unique.contract.js";
import { whereContract } from "./contract/where.contract.js";
import type { DocStore } from "./port.js";

export type { ContractOptions } from "./contract/harness.js";

/**
 * The DocStore contract: one vitest suite that every adapter must pass. `open` is called before
 * each test (every test uses fresh table names, so a shared database or file is fine) and `close`
 * after it. With `persistent`, a store opened again must see what the closed one wrote.
 */
export function runDocStoreContract(
  adapterName: string,
  open: () => Promise<DocStore>,
  close: (store: DocStore) => Promise<void> = (store) => store.close(),
  options: ContractOptions = {},
): void {
  describe(`DocStore contract: ${adapterName}`, () => {
    const ctx = useStore(open, close, options);
    crudContract(ctx);
    uniqueContract(ctx);
    whereContract(ctx);
    transactionContract(ctx);
    paginationContract(ctx);
  });
}
