import { describe } from "vitest";
import { copyDeleteContract } from "./contract/copy-delete.contract.js";
import { useStore } from "./contract/harness.js";
import { listContract } from "./contract/list.contract.js";
import { putGetContract } from "./contract/put-get.contract.js";
import type { ObjectStore } from "./port.js";

/**
 * The ObjectStore contract: one vitest suite every adapter must pass. `open` is called before each
 * test and `close` after it; every test works under a fresh key prefix, so a shared bucket or
 * directory is fine.
 */
export function runObjectStoreContract(
  adapterName: string,
  open: () => Promise<ObjectStore>,
  close: (store: ObjectStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`ObjectStore contract: ${adapterName}`, () => {
    const ctx = useStore(open, close);
    putGetContract(ctx);
    listContract(ctx);
    copyDeleteContract(ctx);
  });
}
