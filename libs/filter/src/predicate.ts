// Ordering is the DocStore's (numbers numerically, strings by code point, as SQLite and MongoDB
// order them), so the predicate and the store translators agree on ranges.
import { compareScalars } from "@strata/docstore";
import type { BoundCondition, BoundFilterNode, Literal } from "./ast.js";

/**
 * The reference semantics of the filter language; every translator is tested against it.
 * `v` is the value at the condition's dotted path (objects are walked, arrays are not; a missing step
 * gives "absent").
 *
 * - Types are strict: 1 never equals "1" or true; a number never compares with a string.
 * - `eq x`: v is x, or v is an array with an element x (as in MongoDB, Qdrant and S3 Vectors).
 * - `ne x`: NOT eq x — so an absent or null field matches, and an array holding x does not (MongoDB).
 * - `in xs`: eq x for some x in xs; `in []` matches nothing. `nin xs`: NOT in xs (absent matches).
 * - `gt/gte/lt/lte x`: v is a scalar of x's type and compares (numbers numerically, strings by code
 *   point). Arrays never match a range. Under NOT, absent and other-typed fields match.
 * - `contains x`: eq x, or v is a string that has the string x as a substring.
 * - `exists true`: present and not null; `exists false`: absent or null. Null and absent are the same.
 */
export function toPredicate(node: BoundFilterNode): (doc: Record<string, unknown>) => boolean {
  return compile(node);
}

/**
 * The filter as nested closures with each field path split once: the hot index runs a predicate on
 * every candidate of a scan, so per-call work (splitting "metadata.year", walking the AST) adds up.
 * Same semantics as `evaluate`.
 */
function compile(node: BoundFilterNode): (doc: object) => boolean {
  switch (node.kind) {
    case "and": {
      const parts = node.nodes.map(compile);
      return (doc) => {
        for (const part of parts) if (!part(doc)) return false;
        return true;
      };
    }
    case "or": {
      const parts = node.nodes.map(compile);
      return (doc) => {
        for (const part of parts) if (part(doc)) return true;
        return false;
      };
    }
    case "not": {
      const inner = compile(node.node);
      return (doc) => !inner(doc);
    }
    case "condition": {
      const keys = node.field.split(".");
      return (doc) => matchCondition(node, readKeys(doc, keys));
    }
  }
}

export function evaluate(node: BoundFilterNode, doc: object): boolean {
  switch (node.kind) {
    case "and":
      return node.nodes.every((n) => evaluate(n, doc));
    case "or":
      return node.nodes.some((n) => evaluate(n, doc));
    case "not":
      return !evaluate(node.node, doc);
    case "condition":
      return matchCondition(node, readPath(doc, node.field));
  }
}

function matchCondition(node: BoundCondition, v: unknown): boolean {
  switch (node.operator) {
    case "eq":
      return equals(v, node.value);
    case "ne":
      return !equals(v, node.value);
    case "in":
      return node.value.some((x) => equals(v, x));
    case "nin":
      return !node.value.some((x) => equals(v, x));
    case "contains":
      return (
        equals(v, node.value) ||
        (typeof v === "string" && typeof node.value === "string" && v.includes(node.value))
      );
    case "exists":
      return (v !== undefined && v !== null) === node.value;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (typeof v !== typeof node.value) return false;
      const order = compareScalars(v as string | number, node.value);
      if (node.operator === "gt") return order > 0;
      if (node.operator === "gte") return order >= 0;
      if (node.operator === "lt") return order < 0;
      return order <= 0;
    }
  }
}

function equals(v: unknown, x: Literal): boolean {
  return v === x || (Array.isArray(v) && v.some((element: unknown) => element === x));
}

/** The value at a dotted path; undefined when a step is missing or is not a plain object. */
export function readPath(doc: object, path: string): unknown {
  return readKeys(doc, path.split("."));
}

function readKeys(doc: object, keys: readonly string[]): unknown {
  let current: unknown = doc;
  for (const key of keys) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
