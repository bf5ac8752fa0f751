// The contract suite (coldstore.contract.ts) is not exported here: it imports vitest.
export { decodeFrame, encodeFrame, type Frame } from "./binary-frame.js";
export { COLD_MAGIC, COLD_VERSION, decodeColdDocument, encodeColdDocument } from "./cold-format.js";
export {
  COLD_PACK_MAGIC,
  COLD_PACK_VERSION,
  decodeColdPack,
  encodeColdPack,
} from "./cold-pack-format.js";
export { type ObjectColdStoreOptions, openObjectColdStore } from "./object-cold-store.js";
export { documentKey } from "./object-keys.js";
export type { ColdDocument, ColdRef, ColdStore, ColdVector } from "./port.js";
export { readObject } from "./read-object.js";
