import type { DocStore } from "@strata/docstore";
import type { Clock } from "../../shared/ports.js";

/** What the taxonomies module may touch: its table (documents are read to see which labels are in use). */
export interface TaxonomyPorts {
  readonly store: DocStore;
  readonly clock: Clock;
}
