import type { CallerRef, FilterNode, Literal } from "./ast.js";
import { isCallerRef } from "./ast.js";
import { formatCallerRef } from "./caller-ref.js";
import type { FilterJson } from "./parse-filter.js";

/**
 * The JSON form of a filter, for storage (retrievers, ACL rules, manifests). `parseFilter` reads it
 * back into the same tree: parse(toFilterJson(parse(x))) equals parse(x).
 */
export function toFilterJson(node: FilterNode): FilterJson {
  switch (node.kind) {
    case "and":
      return { AND: node.nodes.map(toFilterJson) };
    case "or":
      return { OR: node.nodes.map(toFilterJson) };
    case "not":
      // NOT lists the alternatives none of which may match, so NOT(OR(xs)) is written NOT: xs.
      return { NOT: node.node.kind === "or" ? node.node.nodes.map(toFilterJson) : [toFilterJson(node.node)] };
    case "condition": {
      const value = node.value;
      return {
        field: node.field,
        operator: node.operator,
        value: Array.isArray(value) ? value.map(jsonValue) : jsonValue(value as Literal | CallerRef),
      };
    }
  }
}

function jsonValue(value: Literal | CallerRef): Literal {
  return isCallerRef(value) ? formatCallerRef(value) : value;
}
