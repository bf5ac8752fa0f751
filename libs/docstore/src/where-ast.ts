import { assertFieldPath } from "./names.js";
import type { FieldOperators, Scalar, Where } from "./port.js";
import { mergeSetConditions } from "./where-sets.js";

/**
 * A validated, normalised form of `Where` that every adapter translates. `$ne`, `$nin` and `$exists`
 * are rewritten into `not`, so each adapter implements only a handful of primitives.
 * `eq null` means "absent or null" (what `$exists: false` means too).
 */
export type CompareOp = "gt" | "gte" | "lt" | "lte";

export type WhereNode =
  | { readonly kind: "and"; readonly nodes: readonly WhereNode[] }
  | { readonly kind: "or"; readonly nodes: readonly WhereNode[] }
  | { readonly kind: "not"; readonly node: WhereNode }
  | { readonly kind: "eq"; readonly path: string; readonly value: Scalar }
  | { readonly kind: "cmp"; readonly path: string; readonly op: CompareOp; readonly value: string | number }
  | { readonly kind: "in"; readonly path: string; readonly values: readonly Scalar[] }
  | { readonly kind: "contains"; readonly path: string; readonly value: Scalar }
  | { readonly kind: "containsAny"; readonly path: string; readonly values: readonly Scalar[] };

export const MATCH_ALL: WhereNode = { kind: "and", nodes: [] };

const FIELD_OPERATORS = new Set([
  "$eq",
  "$ne",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$in",
  "$nin",
  "$exists",
  "$contains",
  "$containsAny",
]);

function fail(message: string): never {
  throw new Error(`DocStore: invalid where: ${message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scalar(value: unknown, context: string): Scalar {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(`${context}: numbers must be finite`);
    return value;
  }
  return fail(`${context}: expected a string, number, boolean or null`);
}

function comparable(value: unknown, context: string): string | number {
  const v = scalar(value, context);
  if (typeof v === "string" || typeof v === "number") return v;
  return fail(`${context}: expected a string or number`);
}

function scalarList(value: unknown, context: string): Scalar[] {
  if (!Array.isArray(value)) fail(`${context}: expected an array`);
  return value.map((item: unknown) => scalar(item, context));
}

function fieldNode(path: string, op: string, value: unknown): WhereNode {
  const at = `${path}.${op}`;
  switch (op) {
    case "$eq":
      return { kind: "eq", path, value: scalar(value, at) };
    case "$ne":
      return { kind: "not", node: { kind: "eq", path, value: scalar(value, at) } };
    case "$gt":
    case "$gte":
    case "$lt":
    case "$lte":
      return { kind: "cmp", path, op: op.slice(1) as CompareOp, value: comparable(value, at) };
    case "$in":
      return { kind: "in", path, values: scalarList(value, at) };
    case "$nin":
      return { kind: "not", node: { kind: "in", path, values: scalarList(value, at) } };
    case "$exists": {
      if (typeof value !== "boolean") fail(`${at}: expected a boolean`);
      const absent: WhereNode = { kind: "eq", path, value: null };
      return value ? { kind: "not", node: absent } : absent;
    }
    case "$contains":
      return { kind: "contains", path, value: scalar(value, at) };
    case "$containsAny":
      return { kind: "containsAny", path, values: scalarList(value, at) };
    default:
      return fail(`${path}: unknown operator ${op}`);
  }
}

function fieldNodes(path: string, condition: unknown): WhereNode[] {
  assertFieldPath(path);
  if (!isPlainObject(condition)) return [{ kind: "eq", path, value: scalar(condition, path) }];
  const nodes: WhereNode[] = [];
  for (const [op, value] of Object.entries(condition as FieldOperators)) {
    if (value === undefined) continue;
    if (!FIELD_OPERATORS.has(op)) fail(`${path}: unknown operator ${op}`);
    nodes.push(fieldNode(path, op, value));
  }
  return nodes;
}

function subQueries(value: unknown, key: string): WhereNode[] {
  if (!Array.isArray(value)) fail(`${key} expects an array of queries`);
  return value.map((item: unknown) => parseWhere(item as Where));
}

/** Validates a query and returns its normalised tree. Throws on malformed queries (a bug). */
export function parseWhere(where: Where | undefined): WhereNode {
  if (where === undefined) return MATCH_ALL;
  if (!isPlainObject(where)) fail("a query must be an object");
  const nodes: WhereNode[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === "$and") nodes.push({ kind: "and", nodes: subQueries(value, key) });
    else if (key === "$or") nodes.push({ kind: "or", nodes: mergeSetConditions(subQueries(value, key)) });
    else if (key === "$not") {
      if (!isPlainObject(value)) fail("$not expects a query");
      nodes.push({ kind: "not", node: parseWhere(value as Where) });
    } else if (key.startsWith("$")) fail(`unknown operator ${key}`);
    else nodes.push(...fieldNodes(key, value));
  }
  const [only] = nodes;
  return nodes.length === 1 && only !== undefined ? only : { kind: "and", nodes };
}
