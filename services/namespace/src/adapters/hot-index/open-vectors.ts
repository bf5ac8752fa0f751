import { openEmbeddedHotIndex, openQdrantHotIndex } from "@strata/hotindex";
import type { HotIndexLocation } from "../../config.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";
import type { SearchableTier, TierVectorStore } from "../../shared/vectors/tier-vectors.js";
import { hotIndexVectors, hotTierStore } from "./hot-index-vectors.js";

/** The document vectors, and what an operator watches of the index behind them. */
export interface OpenedDocumentVectors extends DocumentVectors {
  /** Vectors written but not yet in the graph (searched exactly meanwhile); undefined: cannot tell. */
  waitingForGraph(): Promise<number | undefined>;
  /** The same index as a tier that moves write to and read from. */
  readonly hotTier: TierVectorStore & SearchableTier;
}

/** The hot tier the config names: the embedded index (embedded mode) or Qdrant (distributed). */
export async function openDocumentVectors(location: HotIndexLocation): Promise<OpenedDocumentVectors> {
  const index =
    location.kind === "embedded"
      ? await openEmbeddedHotIndex({ dir: location.dir })
      : await openQdrantHotIndex({
          url: location.url,
          ...(location.apiKey === undefined ? {} : { apiKey: location.apiKey }),
        });
  const waitingForGraph = async (): Promise<number | undefined> => {
    const stats = await index.stats();
    if (!stats.ok) return undefined;
    return stats.value.spaces.reduce((sum, space) => sum + (space.count - space.indexed), 0);
  };
  return { ...hotIndexVectors(index), waitingForGraph, hotTier: hotTierStore(index) };
}
