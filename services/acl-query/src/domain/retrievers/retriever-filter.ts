import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import {
  asBound,
  type BoundFilterNode,
  type FilterJson,
  type FilterNode,
  filterFields,
  parseFilter,
  toFilterJson,
} from "@strata/filter";
import type { CollectionInfo } from "../namespace-data.js";

/** Fields every document has and a retriever filter may use, besides `metadata.<indexed field>`. */
export const BUILT_IN_FILTER_FIELDS = ["document_id", "created_at", "updated_at", "tier"] as const;

/** `taxonomies.<taxonomy id or name>`: a label, matching its descendants (expanded by the namespace service). */
const TAXONOMY_FIELD_PREFIX = "taxonomies.";

/**
 * Parses a retriever or execute filter. `$user.…` references are for ACL rules: a retriever's
 * filter is the same for every caller, and an alert evaluates it with no end user at all.
 */
export function parseRetrieverFilter(json: unknown, location: string): Result<BoundFilterNode, AppError> {
  const parsed = parseFilter(json, { location });
  if (!parsed.ok) return parsed;
  const bound = asBound(parsed.value);
  if (bound === undefined) {
    return err(
      validationFailed(
        [
          {
            location,
            message: "$user references belong in ACL rules, not in retriever filters",
            type: "caller_ref",
          },
        ],
        "Filter is invalid",
      ),
    );
  }
  return ok(bound);
}

/** The stored JSON form of a parsed filter (normalised, so equal filters store equally). */
export function storedFilter(node: FilterNode): FilterJson {
  return toFilterJson(node);
}

/**
 * The search runs the filter inside each collection's index, so it may only name fields every one
 * of the retriever's collections can filter on.
 */
export function checkFilterFields(
  node: FilterNode,
  collections: readonly CollectionInfo[],
  location: string,
  issues: ValidationIssue[],
): void {
  const allowed = new Set<string>(BUILT_IN_FILTER_FIELDS);
  const [first, ...rest] = collections;
  for (const field of first?.indexedFields ?? []) {
    if (rest.every((c) => c.indexedFields.includes(field))) allowed.add(`metadata.${field}`);
  }
  for (const field of new Set(filterFields(node))) {
    // Taxonomies belong to the namespace, not a collection; the namespace service checks the name.
    if (!allowed.has(field) && !field.startsWith(TAXONOMY_FIELD_PREFIX)) {
      issues.push({
        location,
        message: `cannot filter on ${field}; filterable in every collection of the retriever: ${[...allowed].join(", ")}, taxonomies.<taxonomy>`,
        type: "field_not_indexed",
      });
    }
  }
}
