import type { Where } from "@strata/docstore";
import { type AppError, err, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import {
  bindCaller,
  type CallerContext,
  type FilterNode,
  parseFilter,
  toDocStoreWhere,
} from "@strata/filter";
import { arrayFieldsOf } from "../collections/collection-input.js";
import type { CollectionRecord } from "../collections/collection-tables.js";

/** Fields every document has and a list filter may use, besides `metadata.<indexed field>`. */
export const BUILT_IN_FILTER_FIELDS = ["document_id", "created_at", "updated_at", "tier"] as const;

/**
 * Turns a list filter (the filter language's JSON form) into a DocStore query. Only built-in fields
 * and the collection's indexed metadata fields may be named: an index-less field would mean a full
 * scan in the distributed stores. `$user.…` references bind to the caller, failing closed.
 */
export function compileDocumentFilter(
  json: unknown,
  collection: Pick<CollectionRecord, "indexed_fields" | "metadata_schema">,
  caller: CallerContext,
  location = "body.filters",
): Result<Where, AppError> {
  const parsed = parseFilter(json, { location });
  if (!parsed.ok) return parsed;
  const allowed = new Set<string>([
    ...BUILT_IN_FILTER_FIELDS,
    ...collection.indexed_fields.map((f) => `metadata.${f}`),
  ]);
  const issues: ValidationIssue[] = [];
  for (const field of new Set(fieldsOf(parsed.value))) {
    if (!allowed.has(field)) {
      issues.push({
        location,
        message: `cannot filter on ${field}; filterable fields: ${[...allowed].join(", ")}`,
        type: "field_not_indexed",
      });
    }
  }
  if (issues.length > 0) return err(validationFailed(issues, "Filter is invalid"));
  const bound = bindCaller(parsed.value, caller);
  return toDocStoreWhere(bound, {
    arrayFields: arrayFieldsOf(collection.metadata_schema, collection.indexed_fields),
  });
}

function fieldsOf(node: FilterNode): string[] {
  switch (node.kind) {
    case "and":
    case "or":
      return node.nodes.flatMap(fieldsOf);
    case "not":
      return fieldsOf(node.node);
    case "condition":
      return [node.field];
  }
}
