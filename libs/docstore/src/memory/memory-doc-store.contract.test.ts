import { runDocStoreContract } from "../docstore.contract.js";
import { createMemoryDocStore } from "./memory-doc-store.js";

runDocStoreContract("memory", async () => createMemoryDocStore());
