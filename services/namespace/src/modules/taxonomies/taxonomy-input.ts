import { MAX_TAXONOMY_NODES } from "@strata/contracts";
import type { ValidationIssue } from "@strata/errors";
import type { TaxonomyNodeRecord } from "./tables.js";

export const LABEL_MAX = 128;
// Printable, no control characters, no surrounding whitespace.
const LABEL_SHAPE = /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u;

export interface TaxonomyNodeInput {
  readonly label: string;
  readonly parent?: string | undefined;
}

export function isValidLabel(label: string): boolean {
  return label.length >= 1 && label.length <= LABEL_MAX && LABEL_SHAPE.test(label);
}

/**
 * A taxonomy is a forest: labels are unique, every parent is a label of the same taxonomy, and no
 * label is its own ancestor. At most MAX_TAXONOMY_NODES nodes.
 */
export function checkTaxonomyNodes(
  nodes: readonly TaxonomyNodeInput[],
  issues: ValidationIssue[],
  location = "body.nodes",
): TaxonomyNodeRecord[] {
  if (nodes.length > MAX_TAXONOMY_NODES) {
    issues.push({
      location,
      message: `a taxonomy holds at most ${MAX_TAXONOMY_NODES} nodes`,
      type: "too_many",
    });
    return [];
  }
  const before = issues.length;
  const parents = new Map<string, string | null>();
  nodes.forEach((node, i) => {
    if (!isValidLabel(node.label)) {
      issues.push({
        location: `${location}[${i}].label`,
        message: `a label is 1..${LABEL_MAX} characters, without control characters or surrounding spaces`,
        type: "invalid_label",
      });
    } else if (parents.has(node.label)) {
      issues.push({
        location: `${location}[${i}].label`,
        message: `label ${JSON.stringify(node.label)} appears twice`,
        type: "duplicate",
      });
    } else {
      parents.set(node.label, node.parent ?? null);
    }
  });
  nodes.forEach((node, i) => {
    if (node.parent !== undefined && !parents.has(node.parent)) {
      issues.push({
        location: `${location}[${i}].parent`,
        message: `parent ${JSON.stringify(node.parent)} is not a label of this taxonomy`,
        type: "unknown_parent",
      });
    }
  });
  if (issues.length === before) {
    const cycle = findCycle(parents);
    if (cycle !== undefined) {
      issues.push({ location, message: `labels form a cycle: ${cycle.join(" → ")}`, type: "cycle" });
    }
  }
  return issues.length === before ? nodes.map((n) => ({ label: n.label, parent: n.parent ?? null })) : [];
}

/** Follows parent links from every label; a walk that meets a label of its own path is a cycle. */
function findCycle(parents: ReadonlyMap<string, string | null>): string[] | undefined {
  const settled = new Set<string>();
  for (const start of parents.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current: string | null = start;
    while (current !== null && !settled.has(current)) {
      if (onPath.has(current)) return [...path.slice(path.indexOf(current)), current];
      onPath.add(current);
      path.push(current);
      current = parents.get(current) ?? null;
    }
    for (const label of path) settled.add(label);
  }
  return undefined;
}
