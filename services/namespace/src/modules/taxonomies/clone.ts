import {
  type CloneCleanUp,
  type CloneStep,
  cloneNamespaceRecords,
  deleteClonedRecords,
} from "../../shared/clone-step.js";
import type { TaxonomyPorts } from "./ports.js";
import { TAXONOMIES_TABLE } from "./tables.js";

/** The source's taxonomies under the clone's ids; documents' labels name these ids (ADR 0024). */
export function cloneTaxonomies(): CloneStep {
  return cloneNamespaceRecords(TAXONOMIES_TABLE, "taxonomy", "taxonomies");
}

/** A failed clone's taxonomy records. */
export function cleanUpClonedTaxonomies(ports: Pick<TaxonomyPorts, "store">): CloneCleanUp {
  return deleteClonedRecords(ports.store, [TAXONOMIES_TABLE]);
}
