import type { DocStoreSession, Where } from "@strata/docstore";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import {
  ACL_FIELDS,
  type BoundFilterNode,
  bindCaller,
  type CallerContext,
  type FilterNode,
  filterFields,
  MATCH_ALL,
  MATCH_NOTHING,
  parseFilter,
  toDocStoreWhere,
} from "@strata/filter";
import { arrayFieldsOf } from "../collections/api.js";
import type { CollectionRecord } from "../collections/tables.js";
import type { NamespaceRecord } from "../namespaces/tables.js";
import { expandTaxonomyFilter, resolveTaxonomy } from "../taxonomies/api.js";
import { taxonomyTerm } from "./tables.js";

/** Fields every document has and a filter may use, besides `metadata.<indexed field>`. */
export const BUILT_IN_FILTER_FIELDS = ["document_id", "created_at", "updated_at", "tier"] as const;

/** `taxonomies.<taxonomy id or name>`: a label of that taxonomy, matching its descendants too. */
const TAXONOMY_FIELD_PREFIX = "taxonomies.";
const TAXONOMY_TERMS_FIELD = "taxonomy_terms";
const TAXONOMY_OPERATORS = new Set(["eq", "ne", "in", "nin"]);

type FilterCollection = Pick<CollectionRecord, "indexed_fields" | "metadata_schema">;

/**
 * Turns a filter (the filter language's JSON form) into a bound filter AST, the form every store
 * translator takes. Only built-in fields, the collections' indexed metadata fields and
 * `taxonomies.<taxonomy>` may be named: an index-less field would mean a full scan in the
 * distributed stores. A taxonomy condition becomes "the document carries this label or one below
 * it". `$user.…` references bind to the caller, failing closed.
 */
export async function compileDocumentFilter(
  session: DocStoreSession,
  namespace: NamespaceRecord,
  collections: readonly FilterCollection[],
  json: unknown,
  caller: CallerContext,
  location = "body.filters",
): Promise<Result<BoundFilterNode, AppError>> {
  const parsed = parseFilter(json, { location });
  if (!parsed.ok) return parsed;
  const allowed = new Set<string>([
    ...BUILT_IN_FILTER_FIELDS,
    ...collections.flatMap((c) => c.indexed_fields.map((f) => `metadata.${f}`)),
  ]);
  const issues: ValidationIssue[] = [];
  for (const field of new Set(filterFields(parsed.value))) {
    if (!allowed.has(field) && !field.startsWith(TAXONOMY_FIELD_PREFIX)) {
      issues.push({
        location,
        message: `cannot filter on ${field}; filterable fields: ${[...allowed].join(", ")}, taxonomies.<taxonomy>`,
        type: "field_not_indexed",
      });
    }
  }
  if (issues.length > 0) return err(validationFailed(issues, "Filter is invalid"));
  const expanded = await expandTaxonomies(session, namespace, parsed.value, location);
  if (!expanded.ok) return expanded;
  return ok(bindCaller(expanded.value, caller));
}

/** The DocStore query of a bound filter over one collection's documents. */
export function documentStoreWhere(
  filter: BoundFilterNode,
  collection: FilterCollection,
): Result<Where, AppError> {
  const arrayFields = arrayFieldsOf(collection.metadata_schema, collection.indexed_fields);
  arrayFields.add(TAXONOMY_TERMS_FIELD);
  arrayFields.add(ACL_FIELDS.read);
  arrayFields.add(ACL_FIELDS.write);
  return toDocStoreWhere(filter, { arrayFields });
}

async function expandTaxonomies(
  session: DocStoreSession,
  namespace: NamespaceRecord,
  node: FilterNode,
  location: string,
): Promise<Result<FilterNode, AppError>> {
  switch (node.kind) {
    case "and":
    case "or": {
      const nodes: FilterNode[] = [];
      for (const child of node.nodes) {
        const expanded = await expandTaxonomies(session, namespace, child, location);
        if (!expanded.ok) return expanded;
        nodes.push(expanded.value);
      }
      return ok({ kind: node.kind, nodes });
    }
    case "not": {
      const expanded = await expandTaxonomies(session, namespace, node.node, location);
      return expanded.ok ? ok({ kind: "not", node: expanded.value }) : expanded;
    }
    case "condition":
      if (!node.field.startsWith(TAXONOMY_FIELD_PREFIX)) return ok(node);
      return taxonomyCondition(session, namespace, node, location);
  }
}

async function taxonomyCondition(
  session: DocStoreSession,
  namespace: NamespaceRecord,
  node: Extract<FilterNode, { kind: "condition" }>,
  location: string,
): Promise<Result<FilterNode, AppError>> {
  const invalid = (message: string) =>
    err(validationFailed([{ location, message, type: "invalid_taxonomy_filter" }], "Filter is invalid"));
  const values = Array.isArray(node.value) ? node.value : [node.value];
  if (!TAXONOMY_OPERATORS.has(node.operator) || !values.every((v) => typeof v === "string")) {
    return invalid(`${node.field} takes eq, ne, in or nin with label strings`);
  }
  const identifier = node.field.slice(TAXONOMY_FIELD_PREFIX.length);
  const taxonomy = await resolveTaxonomy(session, namespace, identifier);
  if (!taxonomy.ok)
    return invalid(`${node.field}: no taxonomy ${JSON.stringify(identifier)} in this namespace`);
  const record = taxonomy.value.record;
  const terms = [...new Set(values.flatMap((label) => expandTaxonomyFilter(record, label as string)))].map(
    (label) => taxonomyTerm(record.id, label),
  );
  const matches: FilterNode =
    terms.length === 0
      ? MATCH_NOTHING
      : {
          kind: "or",
          nodes: terms.map((term) => ({
            kind: "condition",
            field: TAXONOMY_TERMS_FIELD,
            operator: "contains",
            value: term,
          })),
        };
  const negated = node.operator === "ne" || node.operator === "nin";
  if (!negated) return ok(matches);
  return ok(terms.length === 0 ? MATCH_ALL : { kind: "not", node: matches });
}
