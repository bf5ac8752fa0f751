// What other modules may use of taxonomies (besides the records in tables.ts): documents check
// their labels against them and filters expand a label to its descendants.
export { expandTaxonomyFilter } from "./expand-taxonomy.js";
export { resolveTaxonomy } from "./taxonomy-access.js";
export { checkTaxonomyLabels } from "./taxonomy-labels.js";
