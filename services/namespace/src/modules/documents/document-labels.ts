import { type TaxonomyLabelRecord, taxonomyTerm } from "./tables.js";

/** The labels and the two fields derived from them for store queries (create and update alike). */
export function labelFields(labels: readonly TaxonomyLabelRecord[]) {
  return {
    taxonomy_labels: labels,
    taxonomy_ids: [...new Set(labels.map((l) => l.taxonomy_id))],
    taxonomy_terms: labels.map((l) => taxonomyTerm(l.taxonomy_id, l.label)),
  };
}
