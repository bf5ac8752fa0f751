import type { WarmIndex } from "../port.js";

export {
  closeTo,
  expectSameHits,
  freshSpace,
  randomRecords,
  referenceSearch,
  unwrap,
} from "@strata/hotindex/contract-harness";

export interface WarmIndexContractOptions {
  /** An index opened again (after `close`) on the same store sees what the closed one wrote. */
  readonly persistent?: boolean;
}

/**
 * Opens the index behind `store`; the same name again after `close` must show the same data when
 * the adapter is persistent. Every test uses its own namespace, so a shared backend is fine.
 */
export type OpenWarmIndex = (store: string) => Promise<WarmIndex>;

export async function withIndex(
  open: OpenWarmIndex,
  store: string,
  work: (index: WarmIndex) => Promise<void>,
): Promise<void> {
  const index = await open(store);
  try {
    await work(index);
  } finally {
    await index.close();
  }
}
