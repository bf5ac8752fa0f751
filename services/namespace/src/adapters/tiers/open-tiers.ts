import { openObjectColdStore } from "@strata/coldstore";
import type { ObjectStore } from "@strata/objectstore";
import { openEmbeddedWarmIndex, openS3VectorsWarmIndex, type WarmIndex } from "@strata/warmindex";
import type { WarmIndexLocation } from "../../config.js";
import type { TierStores, TierVectorStore } from "../../shared/vectors/tier-vectors.js";
import { coldTierStore } from "./cold-tier-store.js";
import { indexTierStore } from "./index-tier-store.js";

/** The warm and cold tiers beside the hot one, and how to close what they opened. */
export interface OpenedTiers {
  readonly tiers: TierStores;
  /** The warm index behind the warm tier (its stats count the memory it caches). */
  readonly warmIndex: WarmIndex;
  close(): Promise<void>;
}

/**
 * The warm tier the config names (the embedded warm index on the object store bucket objects
 * already use, or an S3 Vectors vector bucket) and the cold tier: one object per document on that
 * object store, under its own prefix, in packs (ADR 0033).
 */
export function openTiers(
  hot: TierVectorStore,
  warmLocation: WarmIndexLocation,
  objects: ObjectStore,
  coldPrefix: string,
): OpenedTiers {
  const warm: WarmIndex =
    warmLocation.kind === "embedded"
      ? openEmbeddedWarmIndex({ store: objects, prefix: warmLocation.prefix })
      : openS3VectorsWarmIndex({
          client: {
            region: warmLocation.region,
            ...(warmLocation.endpoint === undefined ? {} : { endpoint: warmLocation.endpoint }),
            ...(warmLocation.credentials === undefined ? {} : { credentials: warmLocation.credentials }),
          },
          vectorBucketName: warmLocation.bucket,
          indexPrefix: warmLocation.indexPrefix,
        });
  const cold = openObjectColdStore({ store: objects, prefix: coldPrefix });
  return {
    tiers: {
      hot,
      warm: indexTierStore("warm", warm, (metric) => warm.supportsMetric(metric)),
      cold: coldTierStore(cold),
    },
    warmIndex: warm,
    close: () => warm.close(),
  };
}
