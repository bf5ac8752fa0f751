import type { TaxonomyNodeRecord } from "./tables.js";

/**
 * The label and all its descendants, so a filter on a node matches documents labelled with any node
 * below it (a filter on "animal" matches "dog" and "poodle"). Parents come before their children.
 * An unknown label expands to nothing: a filter on it matches no document.
 */
export function expandTaxonomyFilter(
  taxonomy: { readonly nodes: readonly TaxonomyNodeRecord[] },
  label: string,
): string[] {
  if (!taxonomy.nodes.some((n) => n.label === label)) return [];
  const children = new Map<string, string[]>();
  for (const node of taxonomy.nodes) {
    if (node.parent === null) continue;
    const siblings = children.get(node.parent);
    if (siblings === undefined) children.set(node.parent, [node.label]);
    else siblings.push(node.label);
  }
  const result = [label];
  // The taxonomy was checked acyclic on write; `seen` keeps a corrupt record from looping.
  const seen = new Set(result);
  for (let i = 0; i < result.length; i++) {
    for (const child of children.get(result[i] ?? "") ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      result.push(child);
    }
  }
  return result;
}
