import type { BoundFilterNode, Literal } from "@strata/filter";
import { readPath } from "@strata/filter";
import type { VectorTable } from "./vector-table.js";

/** Most fields indexed per space (each costs about one array entry per vector). */
const MAX_FIELDS = 32;

/**
 * Equality postings (value → slots) for payload fields that filters use, built on first use and
 * kept up to date on append. They let the planner find the (superset of) matching slots of an
 * `eq`/`in` filter without evaluating it on every payload. Dead slots stay in the lists; the exact
 * predicate is checked on every candidate anyway.
 */
export class FieldIndex {
  private readonly fields = new Map<string, Map<Literal, number[]>>();

  constructor(private readonly table: VectorTable) {}

  /** Adds a new slot to every indexed field. */
  onAppend(slot: number): void {
    if (this.fields.size === 0) return;
    const payload = this.table.payloadOf(slot);
    for (const [field, postings] of this.fields) addValues(postings, readPath(payload, field), slot);
  }

  /** The postings of `field`, building them if the field is new; undefined past the field limit. */
  postings(field: string): Map<Literal, number[]> | undefined {
    const existing = this.fields.get(field);
    if (existing) return existing;
    if (this.fields.size >= MAX_FIELDS) return undefined;
    const postings = new Map<Literal, number[]>();
    for (let slot = 0; slot < this.table.slotCount; slot++) {
      if (this.table.isAlive(slot)) addValues(postings, readPath(this.table.payloadOf(slot), field), slot);
    }
    this.fields.set(field, postings);
    return postings;
  }

  /** Drops every list, so the next use rebuilds them without dead slots. */
  reset(): void {
    this.fields.clear();
  }

  /**
   * Slots that may match `node` (a superset: every matching slot is in it), or undefined when the
   * filter cannot be narrowed with postings (ranges, negations, substring `contains`, …).
   */
  candidates(node: BoundFilterNode): number[] | undefined {
    switch (node.kind) {
      case "and": {
        let best: number[] | undefined;
        for (const child of node.nodes) {
          const c = this.candidates(child);
          if (c && (!best || c.length < best.length)) best = c;
        }
        return best;
      }
      case "or": {
        const parts: number[][] = [];
        for (const child of node.nodes) {
          const c = this.candidates(child);
          if (!c) return undefined;
          parts.push(c);
        }
        return union(parts);
      }
      case "not":
        return undefined;
      case "condition":
        switch (node.operator) {
          case "eq":
            return this.postings(node.field)?.get(node.value) ?? (this.postings(node.field) ? [] : undefined);
          case "contains":
            // A string `contains` may be a substring match, which postings cannot answer.
            if (typeof node.value === "string") return undefined;
            return this.postings(node.field)?.get(node.value) ?? (this.postings(node.field) ? [] : undefined);
          case "in": {
            const postings = this.postings(node.field);
            if (!postings) return undefined;
            return union(node.value.map((v) => postings.get(v) ?? []));
          }
          default:
            return undefined;
        }
    }
  }
}

function addValues(postings: Map<Literal, number[]>, value: unknown, slot: number): void {
  if (isLiteral(value)) {
    push(postings, value, slot);
  } else if (Array.isArray(value)) {
    for (const element of new Set<unknown>(value)) if (isLiteral(element)) push(postings, element, slot);
  }
}

function push(postings: Map<Literal, number[]>, value: Literal, slot: number): void {
  const list = postings.get(value);
  if (list) list.push(slot);
  else postings.set(value, [slot]);
}

function isLiteral(value: unknown): value is Literal {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function union(parts: readonly number[][]): number[] {
  const [first] = parts;
  if (parts.length === 1 && first) return first;
  return [...new Set(parts.flat())];
}
