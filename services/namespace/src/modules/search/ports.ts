import type { DocStore } from "@strata/docstore";
import type { RecordAccess } from "../../shared/ports.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";
import type { TierStores } from "../../shared/vectors/tier-vectors.js";

/**
 * What search may touch: it reads collections, taxonomies and documents, queries the hot tier and
 * the warm tier (and scans the cold one when asked), and counts the hits it answers.
 */
export interface SearchPorts {
  readonly store: DocStore;
  readonly vectors: Pick<DocumentVectors, "search" | "read" | "settled" | "maxK" | "dropNamespace">;
  readonly tiers: {
    readonly warm: TierStores["warm"];
    readonly cold: TierStores["cold"];
  };
  readonly recordAccess: RecordAccess;
}
