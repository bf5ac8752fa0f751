import type { DocStore } from "@strata/docstore";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";

/** What search may touch: it reads collections, taxonomies and documents, and queries the hot tier. */
export interface SearchPorts {
  readonly store: DocStore;
  readonly vectors: Pick<DocumentVectors, "search" | "read" | "maxK" | "dropNamespace">;
}
