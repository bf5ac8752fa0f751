import type { Scalar } from "./port.js";
import type { WhereNode } from "./where-ast.js";

type SetKind = "in" | "containsAny";

/**
 * The children of an `or`, with nested `or`s flattened and the equality tests on one path merged:
 * every `eq`/`in` on a path becomes one `in`, every `contains`/`containsAny` one `containsAny`.
 * Filters expanded by callers (a taxonomy label and its thousand descendants, a role list) arrive as
 * thousands of alternatives; merged, each adapter compiles them to one set test (SQLite binds the set
 * as one JSON array) instead of an OR chain deeper than SQLite's expression limit (1,000).
 * Merging keeps the meaning: `a = x OR a = y` is `a IN (x, y)`, and likewise for array elements.
 */
export function mergeSetConditions(nodes: readonly WhereNode[]): WhereNode[] {
  const flat = nodes.flatMap((n) => (n.kind === "or" ? n.nodes : [n]));
  const sets = new Map<string, { readonly at: number; readonly values: Set<Scalar> }>();
  const out: (WhereNode | undefined)[] = [];
  const counts = new Map<string, number>();
  for (const node of flat) {
    const key = setKey(node);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const node of flat) {
    const key = setKey(node);
    // A lone test stays as written: its SQL (and query plan) does not change.
    if (key === undefined || (counts.get(key) ?? 0) < 2) {
      out.push(node);
      continue;
    }
    const set = sets.get(key);
    if (set === undefined) {
      sets.set(key, { at: out.length, values: new Set(valuesOf(node)) });
      out.push(undefined);
    } else for (const v of valuesOf(node)) set.values.add(v);
  }
  for (const [key, { at, values }] of sets) {
    const kind = key.slice(0, key.indexOf(" ")) as SetKind;
    const path = key.slice(key.indexOf(" ") + 1);
    out[at] = { kind, path, values: [...values] };
  }
  return out.filter((n): n is WhereNode => n !== undefined);
}

/** `<set kind> <path>` for a test that merges into a set, else undefined. */
function setKey(node: WhereNode): string | undefined {
  switch (node.kind) {
    case "eq":
    case "in":
      return `in ${node.path}`;
    case "contains":
    case "containsAny":
      return `containsAny ${node.path}`;
    default:
      return undefined;
  }
}

function valuesOf(node: WhereNode): readonly Scalar[] {
  switch (node.kind) {
    case "eq":
    case "contains":
      return [node.value];
    case "in":
    case "containsAny":
      return node.values;
    default:
      return [];
  }
}
