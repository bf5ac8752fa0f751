import type { DocStoreSession } from "@strata/docstore";
import type { ValidationIssue } from "@strata/errors";
import { isId } from "@strata/ids";
import type { TaxonomyLabelRecord } from "../documents/tables.js";
import type { NamespaceRecord } from "../namespaces/tables.js";
import { TAXONOMIES_TABLE, type TaxonomyRecord } from "./tables.js";

export const MAX_LABELS_PER_DOCUMENT = 100;

/**
 * A document's taxonomy labels: each names a taxonomy of the document's namespace (by id) and one
 * of its labels; no pair twice. A taxonomy of another namespace is reported like a missing one.
 */
export async function checkTaxonomyLabels(
  session: DocStoreSession,
  namespace: NamespaceRecord,
  labels: readonly TaxonomyLabelRecord[],
  issues: ValidationIssue[],
  location = "body.taxonomy_labels",
): Promise<TaxonomyLabelRecord[]> {
  if (labels.length > MAX_LABELS_PER_DOCUMENT) {
    issues.push({
      location,
      message: `a document carries at most ${MAX_LABELS_PER_DOCUMENT} labels`,
      type: "too_many",
    });
    return [];
  }
  const taxonomies = new Map<string, TaxonomyRecord | undefined>();
  const seen = new Set<string>();
  const result: TaxonomyLabelRecord[] = [];
  for (const [i, { taxonomy_id, label }] of labels.entries()) {
    const at = `${location}[${i}]`;
    if (!taxonomies.has(taxonomy_id)) {
      const found = isId("taxonomy", taxonomy_id)
        ? (await session.table<TaxonomyRecord>(TAXONOMIES_TABLE).get(taxonomy_id))?.record
        : undefined;
      taxonomies.set(taxonomy_id, found?.namespace_id === namespace.id ? found : undefined);
    }
    const taxonomy = taxonomies.get(taxonomy_id);
    if (taxonomy === undefined) {
      issues.push({
        location: `${at}.taxonomy_id`,
        message: `taxonomy ${JSON.stringify(taxonomy_id)} does not exist in this namespace`,
        type: "unknown_taxonomy",
      });
    } else if (!taxonomy.nodes.some((n) => n.label === label)) {
      issues.push({
        location: `${at}.label`,
        message: `${JSON.stringify(label)} is not a label of taxonomy ${taxonomy.taxonomy_name}`,
        type: "unknown_label",
      });
    } else if (seen.has(`${taxonomy_id}/${label}`)) {
      issues.push({ location: at, message: "this label is given twice", type: "duplicate" });
    } else {
      seen.add(`${taxonomy_id}/${label}`);
      result.push({ taxonomy_id, label });
    }
  }
  return result;
}
