import { openObjectColdStore } from "@strata/coldstore";
import type { ObjectStore } from "@strata/objectstore";
import { openEmbeddedWarmIndex, type WarmIndex } from "@strata/warmindex";
import type { WarmIndexLocation } from "../../config.js";
import type { TierStores, TierVectorStore } from "../../shared/vectors/tier-vectors.js";
import { coldTierStore } from "./cold-tier-store.js";
import { indexTierStore } from "./index-tier-store.js";

/** The warm and cold tiers beside the hot one, and how to close what they opened. */
export interface OpenedTiers {
  readonly tiers: TierStores;
  close(): Promise<void>;
}

/**
 * The warm tier the config names and the cold tier, both on the object store bucket objects
 * already use (files embedded, S3 distributed), under their own prefixes: the warm index's
 * segments and manifests, and one cold object per document.
 */
export function openTiers(
  hot: TierVectorStore,
  warmLocation: WarmIndexLocation,
  objects: ObjectStore,
  coldPrefix: string,
): OpenedTiers {
  if (warmLocation.kind !== "embedded")
    throw new Error(
      "STRATA_S3_VECTORS_BUCKET is set, but this build has no S3 Vectors warm index yet; unset it to keep the warm tier on the object store",
    );
  const warm: WarmIndex = openEmbeddedWarmIndex({ store: objects, prefix: warmLocation.prefix });
  const cold = openObjectColdStore({ store: objects, prefix: coldPrefix });
  return {
    tiers: {
      hot,
      warm: indexTierStore("warm", warm, (metric) => warm.supportsMetric(metric)),
      cold: coldTierStore(cold),
    },
    close: () => warm.close(),
  };
}
