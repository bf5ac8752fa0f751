import { openEmbeddedHotIndex, openQdrantHotIndex } from "@strata/hotindex";
import type { HotIndexLocation } from "../../config.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";
import { hotIndexVectors } from "./hot-index-vectors.js";

/** The hot tier the config names: the embedded index (embedded mode) or Qdrant (distributed). */
export async function openDocumentVectors(location: HotIndexLocation): Promise<DocumentVectors> {
  const index =
    location.kind === "embedded"
      ? await openEmbeddedHotIndex({ dir: location.dir })
      : await openQdrantHotIndex({
          url: location.url,
          ...(location.apiKey === undefined ? {} : { apiKey: location.apiKey }),
        });
  return hotIndexVectors(index);
}
