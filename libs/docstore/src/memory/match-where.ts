import type { Scalar, Where } from "../port.js";
import { parseWhere, type WhereNode } from "../where-ast.js";

/**
 * The DocStore query language as a pure predicate over a plain JSON record, with the semantics every
 * adapter shares: values of different JSON types never match (1 is not true, "3" is not 3, an array
 * is not equal to its elements), `null` stands for "null or absent", `$contains` looks only into arrays.
 */
export function matchesWhere(record: object, where: Where | undefined): boolean {
  return evaluate(parseWhere(where), record);
}

/** Evaluates an already parsed query (parse once, test many records). */
export function evaluate(node: WhereNode, record: object): boolean {
  switch (node.kind) {
    case "and":
      return node.nodes.every((n) => evaluate(n, record));
    case "or":
      return node.nodes.some((n) => evaluate(n, record));
    case "not":
      return !evaluate(node.node, record);
    case "eq":
      return scalarEquals(readPath(record, node.path), node.value);
    case "in": {
      const actual = readPath(record, node.path);
      return valueSet(node).has(actual === undefined ? null : actual);
    }
    case "cmp": {
      const actual = readPath(record, node.path);
      if (typeof actual !== typeof node.value) return false;
      const order = compareScalars(actual as string | number, node.value);
      if (node.op === "gt") return order > 0;
      if (node.op === "gte") return order >= 0;
      if (node.op === "lt") return order < 0;
      return order <= 0;
    }
    case "contains": {
      const actual = readPath(record, node.path);
      return Array.isArray(actual) && actual.some((item: unknown) => item === node.value);
    }
    case "containsAny": {
      const actual = readPath(record, node.path);
      if (!Array.isArray(actual)) return false;
      const values = valueSet(node);
      return actual.some((item: unknown) => values.has(item));
    }
  }
}

// Sets can hold thousands of values (an expanded taxonomy filter) and are tested once per record.
const sets = new WeakMap<object, ReadonlySet<unknown>>();

/** The node's values as a Set (SameValueZero: as strict as `===` for finite numbers). */
function valueSet(node: { readonly values: readonly Scalar[] }): ReadonlySet<unknown> {
  let set = sets.get(node);
  if (set === undefined) {
    set = new Set(node.values);
    sets.set(node, set);
  }
  return set;
}

/** The value at a dotted path; undefined when any step is missing or not an object. */
export function readPath(record: object, path: string): unknown {
  let current: unknown = record;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function scalarEquals(actual: unknown, expected: Scalar): boolean {
  if (expected === null) return actual === null || actual === undefined;
  return actual === expected;
}

/** Strings compare by code point, like SQLite (UTF-8 bytes) and MongoDB do, not by UTF-16 unit. */
export function compareScalars(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  if (x === y) return 0;
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; ) {
    const cx = x.codePointAt(i) ?? 0;
    const cy = y.codePointAt(i) ?? 0;
    if (cx !== cy) return cx - cy;
    i += cx > 0xffff ? 2 : 1;
  }
  return x.length - y.length;
}

/** Sort rank of a JSON type: null/absent first, then numbers, strings, objects, arrays, booleans. */
function rank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number") return 1;
  if (typeof value === "string") return 2;
  if (Array.isArray(value)) return 4;
  if (typeof value === "object") return 3;
  return 5;
}

/** Total order used by `orderBy`. Mixed types sort by type rank; only same-type order is portable. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "number" || typeof a === "string") return compareScalars(a, b as string | number);
  if (typeof a === "boolean") return Number(a) - Number(b);
  if (ra === 0) return 0;
  return compareScalars(JSON.stringify(a), JSON.stringify(b));
}
