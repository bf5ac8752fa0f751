/**
 * The filter AST shared by retriever filters, document list filters and compiled ACL rules.
 * Parsed from a Mixpeek-like JSON form (`parse-filter.ts`), bound to a caller (`bind-caller.ts`),
 * then translated to an in-memory predicate, a DocStore query, a Qdrant filter or an S3 Vectors filter.
 * The semantics every translator follows are written down in `predicate.ts` and the README.
 */
export const OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "exists"] as const;
export type Operator = (typeof OPERATORS)[number];
export type EqualityOperator = "eq" | "ne" | "contains";
export type RangeOperator = "gt" | "gte" | "lt" | "lte";
export type SetOperator = "in" | "nin";

/** A value a document field is compared with. `null` is not one: `exists` tests for null/absent. */
export type Literal = string | number | boolean;

/**
 * A reference to the calling principal, written `$user.principal_id`, `$user.roles` or
 * `$user.attributes.<dotted.path>` in JSON; `path` is the part after `$user.`.
 */
export interface CallerRef {
  readonly kind: "caller_ref";
  readonly path: string;
}

interface FieldCondition {
  readonly kind: "condition";
  /** Dotted path into the document, e.g. "metadata.year". */
  readonly field: string;
}

/** A condition whose values may include `R` (caller references before binding, `never` after). */
export type ConditionOf<R> =
  | (FieldCondition & { readonly operator: EqualityOperator; readonly value: Literal | R })
  | (FieldCondition & { readonly operator: RangeOperator; readonly value: string | number | R })
  | (FieldCondition & { readonly operator: SetOperator; readonly value: readonly (Literal | R)[] | R })
  | (FieldCondition & { readonly operator: "exists"; readonly value: boolean });

export type NodeOf<R> =
  | { readonly kind: "and"; readonly nodes: readonly NodeOf<R>[] }
  | { readonly kind: "or"; readonly nodes: readonly NodeOf<R>[] }
  | { readonly kind: "not"; readonly node: NodeOf<R> }
  | ConditionOf<R>;

/** A filter as parsed: values may still reference the caller. */
export type FilterNode = NodeOf<CallerRef>;
export type Condition = ConditionOf<CallerRef>;
/** A filter with literal values only: what every translator takes. */
export type BoundFilterNode = NodeOf<never>;
export type BoundCondition = ConditionOf<never>;

/** `AND []` matches every document; `OR []` matches none. These are the canonical constants. */
export const MATCH_ALL: BoundFilterNode = { kind: "and", nodes: [] };
export const MATCH_NOTHING: BoundFilterNode = { kind: "or", nodes: [] };

export function and<R>(...nodes: NodeOf<R>[]): NodeOf<R> {
  return { kind: "and", nodes };
}

export function or<R>(...nodes: NodeOf<R>[]): NodeOf<R> {
  return { kind: "or", nodes };
}

export function not<R>(node: NodeOf<R>): NodeOf<R> {
  return { kind: "not", node };
}

export function isMatchAll(node: NodeOf<unknown>): boolean {
  return node.kind === "and" && node.nodes.length === 0;
}

export function isMatchNothing(node: NodeOf<unknown>): boolean {
  return node.kind === "or" && node.nodes.length === 0;
}

export function isCallerRef(value: unknown): value is CallerRef {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "caller_ref";
}

/** Whether the filter still has caller references (then `bindCaller` must run before translating). */
export function hasCallerRefs(node: FilterNode): boolean {
  switch (node.kind) {
    case "and":
    case "or":
      return node.nodes.some(hasCallerRefs);
    case "not":
      return hasCallerRefs(node.node);
    case "condition":
      return isCallerRef(node.value) || (Array.isArray(node.value) && node.value.some(isCallerRef));
  }
}

/** Every document field the filter tests, once per condition (repeats kept), in reading order. */
export function filterFields(node: NodeOf<unknown>): string[] {
  switch (node.kind) {
    case "and":
    case "or":
      return node.nodes.flatMap(filterFields);
    case "not":
      return filterFields(node.node);
    case "condition":
      return [node.field];
  }
}

/** Narrows a filter without caller references to the bound type (no copy). */
export function asBound(node: FilterNode): BoundFilterNode | undefined {
  return hasCallerRefs(node) ? undefined : (node as BoundFilterNode);
}
