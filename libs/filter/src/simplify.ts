import type { BoundFilterNode } from "./ast.js";
import { isMatchAll, isMatchNothing, MATCH_ALL, MATCH_NOTHING } from "./ast.js";

/**
 * Folds constants and flattens nested groups without changing which documents match:
 * `in []` is MATCH_NOTHING, `nin []` is MATCH_ALL, an AND with a MATCH_NOTHING child is MATCH_NOTHING,
 * NOT NOT x is x, single-child groups collapse. Afterwards MATCH_ALL / MATCH_NOTHING can only be the
 * whole result, which lets translators for stores without constants (S3 Vectors, Qdrant) stay exact.
 */
export function simplify(node: BoundFilterNode): BoundFilterNode {
  switch (node.kind) {
    case "and":
    case "or": {
      const absorbing = node.kind === "and" ? isMatchNothing : isMatchAll;
      const neutral = node.kind === "and" ? isMatchAll : isMatchNothing;
      const nodes: BoundFilterNode[] = [];
      for (const child of node.nodes.map(simplify)) {
        if (absorbing(child)) return child;
        if (neutral(child)) continue;
        if (child.kind === node.kind) nodes.push(...child.nodes);
        else nodes.push(child);
      }
      const [only] = nodes;
      if (nodes.length === 1 && only) return only;
      return nodes.length === 0
        ? node.kind === "and"
          ? MATCH_ALL
          : MATCH_NOTHING
        : { kind: node.kind, nodes };
    }
    case "not": {
      const inner = simplify(node.node);
      if (isMatchAll(inner)) return MATCH_NOTHING;
      if (isMatchNothing(inner)) return MATCH_ALL;
      return inner.kind === "not" ? inner.node : { kind: "not", node: inner };
    }
    case "condition":
      if (node.operator === "in" && node.value.length === 0) return MATCH_NOTHING;
      if (node.operator === "nin" && node.value.length === 0) return MATCH_ALL;
      return node;
  }
}
