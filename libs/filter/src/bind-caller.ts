import type { BoundFilterNode, CallerRef, Condition, FilterNode, Literal } from "./ast.js";
import { isCallerRef, MATCH_ALL, MATCH_NOTHING } from "./ast.js";

/** The calling principal, as the gateway passes it (an end-user API key's principal). */
export interface CallerContext {
  readonly principalId?: string;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
}

/**
 * Replaces `$user.…` references with the caller's values.
 *
 * Fail closed: when a reference cannot be resolved (no principal, a missing attribute, or a value of
 * a type the operator cannot use — e.g. an object, or an array for `eq`), the whole condition becomes
 * the constant that makes the filter *narrower*: MATCH_NOTHING where the condition counts positively,
 * MATCH_ALL where it sits under an odd number of NOTs. So `NOT: [{dept eq $user.attributes.dept}]`
 * with no `dept` attribute still matches nothing, never everything, and a deny rule compiled as
 * `NOT(deny)` into one AST denies when its attribute is missing. Bind the complete compiled filter
 * once, not its parts, so every reference sees its true polarity.
 */
export function bindCaller(node: FilterNode, caller: CallerContext): BoundFilterNode {
  return bind(node, caller, true);
}

function bind(node: FilterNode, caller: CallerContext, positive: boolean): BoundFilterNode {
  switch (node.kind) {
    case "and":
    case "or":
      return { kind: node.kind, nodes: node.nodes.map((n) => bind(n, caller, positive)) };
    case "not":
      return { kind: "not", node: bind(node.node, caller, !positive) };
    case "condition": {
      const bound = bindCondition(node, caller);
      return bound ?? (positive ? MATCH_NOTHING : MATCH_ALL);
    }
  }
}

function bindCondition(node: Condition, caller: CallerContext): BoundFilterNode | undefined {
  switch (node.operator) {
    case "eq":
    case "ne":
    case "contains": {
      const value = resolveLiteral(node.value, caller);
      return value === undefined ? undefined : { ...node, value };
    }
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const value = resolveLiteral(node.value, caller);
      return typeof value === "string" || typeof value === "number" ? { ...node, value } : undefined;
    }
    case "in":
    case "nin": {
      const items = isCallerRef(node.value) ? [node.value] : node.value;
      const values: Literal[] = [];
      for (const item of items) {
        if (!isCallerRef(item)) values.push(item);
        else {
          const resolved = resolve(item, caller);
          const list = Array.isArray(resolved) ? resolved : [resolved];
          if (!list.every(isLiteral)) return undefined;
          values.push(...list);
        }
      }
      return { ...node, value: values };
    }
    case "exists":
      return node;
  }
}

function resolveLiteral(value: Literal | CallerRef, caller: CallerContext): Literal | undefined {
  if (!isCallerRef(value)) return value;
  const resolved = resolve(value, caller);
  return isLiteral(resolved) ? resolved : undefined;
}

function resolve(ref: CallerRef, caller: CallerContext): unknown {
  if (ref.path === "principal_id") return caller.principalId;
  if (ref.path === "roles") return caller.roles;
  let current: unknown = caller.attributes;
  for (const key of ref.path.split(".").slice(1)) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isLiteral(value: unknown): value is Literal {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}
