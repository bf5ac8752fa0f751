import { openColdStore } from "@strata/coldstore";
import type { ObjectStore } from "@strata/objectstore";
import { openEmbeddedWarmIndex, openS3VectorsWarmIndex, type WarmIndex } from "@strata/warmindex";
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
 * The warm tier the config names (the embedded warm index, or S3 Vectors) and the cold tier: one
 * object per document under NAMESPACE_COLD_PREFIX of the object store bucket objects already use.
 */
export async function openTiers(
  hot: TierVectorStore,
  warmLocation: WarmIndexLocation,
  objects: ObjectStore,
  coldPrefix: string,
): Promise<OpenedTiers> {
  const warm: WarmIndex =
    warmLocation.kind === "embedded"
      ? await openEmbeddedWarmIndex({ dir: warmLocation.dir })
      : await openS3VectorsWarmIndex({
          bucket: warmLocation.bucket,
          region: warmLocation.region,
          indexPrefix: warmLocation.indexPrefix,
          ...(warmLocation.endpoint === undefined ? {} : { endpoint: warmLocation.endpoint }),
        });
  const cold = openColdStore({ objects, prefix: coldPrefix });
  return {
    tiers: {
      hot,
      warm: indexTierStore("warm", warm, (metric) => warm.supportsMetric(metric)),
      cold: coldTierStore(cold),
    },
    close: () => warm.close(),
  };
}
