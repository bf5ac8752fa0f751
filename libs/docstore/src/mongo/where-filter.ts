import type { Document } from "mongodb";
import { assertFieldPath } from "../names.js";
import type { OrderBy, Scalar } from "../port.js";
import type { WhereNode } from "../where-ast.js";

/**
 * Translates a WhereNode into a MongoDB filter with the DocStore's strict semantics. MongoDB's
 * query language already keeps comparisons inside one type bracket (5 never equals "5" or true),
 * but it reaches into arrays: `{tags: "x"}` matches `tags: ["x"]` and `{"a.b": 1}` matches
 * `a: [{b: 1}]`. Every leaf therefore carries `$not: {$type: "array"}` guards on the field and on
 * each prefix of a dotted path, which makes it agree with SQLite's json_extract and with the
 * in-memory predicate.
 */
export type MongoFilter = Document;

const NOT_ARRAY = { $not: { $type: "array" } } as const;
/** Matches no document: every document has an _id. */
const NOTHING: MongoFilter = { _id: { $in: [] } };

/** The stored field name: a record's `id` is the document's `_id`. */
export function mongoField(path: string): string {
  assertFieldPath(path);
  return path === "id" ? "_id" : path;
}

function prefixes(field: string): string[] {
  const parts = field.split(".");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("."));
}

/** `condition` on the field, where neither the field nor any step leading to it is an array. */
function strict(field: string, condition: Document): MongoFilter {
  const guards = prefixes(field).map((prefix) => ({ [prefix]: NOT_ARRAY }));
  const leaf = { [field]: { ...condition, ...NOT_ARRAY } };
  return guards.length === 0 ? leaf : { $and: [...guards, leaf] };
}

/** Absent or null. A path that runs through an array counts as absent, as in SQLite. */
function absent(field: string): MongoFilter {
  const throughArray = prefixes(field).map((prefix) => ({ [prefix]: { $type: "array" } }));
  const leaf = { [field]: { $eq: null, ...NOT_ARRAY } };
  return throughArray.length === 0 ? leaf : { $or: [...throughArray, leaf] };
}

function eq(field: string, value: Scalar): MongoFilter {
  return value === null ? absent(field) : strict(field, { $eq: value });
}

function inList(field: string, values: readonly Scalar[]): MongoFilter {
  const present = values.filter((v) => v !== null);
  const branches: MongoFilter[] = [];
  if (present.length > 0) branches.push(strict(field, { $in: present }));
  if (values.includes(null)) branches.push(absent(field));
  const [only] = branches;
  if (branches.length === 1 && only) return only;
  return branches.length === 0 ? NOTHING : { $or: branches };
}

/** An element of the array field matches `element`. */
function elementMatch(field: string, element: Document): MongoFilter {
  // $elemMatch only matches arrays, and the field itself must be one (no NOT_ARRAY on the leaf).
  const guards = prefixes(field).map((prefix) => ({ [prefix]: NOT_ARRAY }));
  const leaf = { [field]: { $elemMatch: element } };
  return guards.length === 0 ? leaf : { $and: [...guards, leaf] };
}

export function whereToFilter(node: WhereNode): MongoFilter {
  switch (node.kind) {
    case "and":
      return node.nodes.length === 0 ? {} : { $and: node.nodes.map(whereToFilter) };
    case "or":
      return node.nodes.length === 0 ? NOTHING : { $or: node.nodes.map(whereToFilter) };
    case "not":
      return { $nor: [whereToFilter(node.node)] };
    case "eq":
      return eq(mongoField(node.path), node.value);
    case "cmp":
      return strict(mongoField(node.path), { [`$${node.op}`]: node.value });
    case "in":
      return inList(mongoField(node.path), node.values);
    case "contains":
      return elementMatch(mongoField(node.path), { $eq: node.value });
    case "containsAny":
      return node.values.length === 0 ? NOTHING : elementMatch(mongoField(node.path), { $in: node.values });
  }
}

/** Sort document; ties always end with `_id` ascending. */
export function orderToSort(orderBy: readonly OrderBy[] | undefined): [string, 1 | -1][] {
  const sort: [string, 1 | -1][] = [];
  for (const { field, direction } of orderBy ?? []) {
    if (direction !== "asc" && direction !== "desc")
      throw new Error(`DocStore: invalid direction ${direction}`);
    const name = mongoField(field);
    sort.push([name, direction === "asc" ? 1 : -1]);
    if (name === "_id") return sort;
  }
  sort.push(["_id", 1]);
  return sort;
}
