import { assertFieldPath } from "../names.js";
import type { OrderBy, Scalar } from "../port.js";
import type { WhereNode } from "../where-ast.js";

/**
 * Translates a WhereNode into a SQLite boolean expression over `body` (the record as JSON text).
 * Values are always bound parameters; paths are validated and inlined because SQLite only uses an
 * expression index when the query repeats the indexed expression literally.
 *
 * Every expression produced here evaluates to 0 or 1, never NULL, so `NOT` behaves (an absent
 * field must satisfy `$ne`). Typed comparisons pair the value test with a `json_type` guard: a
 * field of another JSON type never matches, and JSON true/false (which json_extract turns into 1/0)
 * never equal numbers.
 */
export interface SqlFragment {
  readonly sql: string;
  readonly params: unknown[];
}

/** The SQL expression for a field's value; `id` is the primary key column. */
export function valueExpr(path: string): string {
  assertFieldPath(path);
  return path === "id" ? "id" : `json_extract(body, '$.${path}')`;
}

function typeExpr(path: string): string {
  return path === "id" ? "'text'" : `json_type(body, '$.${path}')`;
}

const NUMBER_GUARD = (path: string) => `ifnull(${typeExpr(path)}, '') IN ('integer', 'real')`;

function eq(path: string, value: Scalar, params: unknown[]): string {
  const v = valueExpr(path);
  if (value === null) return `${v} IS NULL`;
  if (typeof value === "boolean") return `(${v} = ${value ? 1 : 0} AND ${typeExpr(path)} IS '${value}')`;
  params.push(value);
  return typeof value === "string"
    ? `(${v} = ? AND ${typeExpr(path)} IS 'text')`
    : `(${v} = ? AND ${NUMBER_GUARD(path)})`;
}

const CMP_SQL = { gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

function cmp(path: string, op: keyof typeof CMP_SQL, value: string | number, params: unknown[]): string {
  const v = valueExpr(path);
  params.push(value);
  // SQLite orders NULL < numbers < text: the extra bound keeps an index range scan inside one type.
  if (typeof value === "string") {
    const bound = op === "lt" || op === "lte" ? ` AND ${v} >= ''` : "";
    return `(${v} ${CMP_SQL[op]} ?${bound} AND ${typeExpr(path)} IS 'text')`;
  }
  const bound = op === "gt" || op === "gte" ? ` AND ${v} < ''` : "";
  return `(${v} ${CMP_SQL[op]} ?${bound} AND ${NUMBER_GUARD(path)})`;
}

/** The values of one JSON type as a single bound JSON array, so a set of any size is one parameter. */
function jsonSet(values: readonly (string | number)[], params: unknown[]): string {
  params.push(JSON.stringify(values));
  return "(SELECT value FROM json_each(?))";
}

function inList(path: string, values: readonly Scalar[], params: unknown[]): string {
  const strings = values.filter((x): x is string => typeof x === "string");
  const numbers = values.filter((x): x is number => typeof x === "number");
  const parts: string[] = [];
  const v = valueExpr(path);
  if (strings.length > 0) parts.push(`(${v} IN ${jsonSet(strings, params)} AND ${typeExpr(path)} IS 'text')`);
  if (numbers.length > 0) parts.push(`(${v} IN ${jsonSet(numbers, params)} AND ${NUMBER_GUARD(path)})`);
  for (const b of [true, false]) {
    if (values.includes(b)) parts.push(eq(path, b, params));
  }
  if (values.includes(null)) parts.push(eq(path, null, params));
  return parts.length === 0 ? "0" : `(${parts.join(" OR ")})`;
}

/** An element of the array at `path` satisfies `element` (a test on `je.value` / `je.type`). */
function anyElement(path: string, element: string): string {
  // json_each also walks objects and yields scalars themselves, hence the array guard.
  return `(${typeExpr(path)} IS 'array' AND EXISTS (SELECT 1 FROM json_each(body, '$.${path}') AS je WHERE ${element}))`;
}

function contains(path: string, value: Scalar, params: unknown[]): string {
  if (path === "id") return "0";
  if (value === null) return anyElement(path, "je.type IS 'null'");
  if (typeof value === "boolean") return anyElement(path, `je.type IS '${value}'`);
  params.push(value);
  return anyElement(
    path,
    typeof value === "string"
      ? "je.value = ? AND je.type IS 'text'"
      : "je.value = ? AND je.type IN ('integer', 'real')",
  );
}

function containsAny(path: string, values: readonly Scalar[], params: unknown[]): string {
  if (path === "id" || values.length === 0) return "0";
  const strings = values.filter((x): x is string => typeof x === "string");
  const numbers = values.filter((x): x is number => typeof x === "number");
  const tests: string[] = [];
  if (strings.length > 0) tests.push(`(je.type IS 'text' AND je.value IN ${jsonSet(strings, params)})`);
  if (numbers.length > 0)
    tests.push(`(je.type IN ('integer', 'real') AND je.value IN ${jsonSet(numbers, params)})`);
  for (const b of [true, false]) if (values.includes(b)) tests.push(`je.type IS '${b}'`);
  if (values.includes(null)) tests.push("je.type IS 'null'");
  return anyElement(path, tests.join(" OR "));
}

/** Most operands joined in one flat chain: SQLite nests `a OR b OR c …` one level per operand. */
const CHAIN = 16;

/**
 * `parts` joined with AND / OR, grouped in parenthesised chains of at most CHAIN operands so the
 * expression tree grows with the logarithm of the count (SQLite refuses trees deeper than 1,000).
 */
function joinBalanced(parts: readonly string[], op: "AND" | "OR"): string {
  if (parts.length <= CHAIN) return `(${parts.join(` ${op} `)})`;
  const groups: string[] = [];
  const size = Math.ceil(parts.length / CHAIN);
  for (let i = 0; i < parts.length; i += size) groups.push(joinBalanced(parts.slice(i, i + size), op));
  return joinBalanced(groups, op);
}

function build(node: WhereNode, params: unknown[]): string {
  switch (node.kind) {
    case "and":
      return node.nodes.length === 0
        ? "1"
        : joinBalanced(
            node.nodes.map((n) => build(n, params)),
            "AND",
          );
    case "or":
      return node.nodes.length === 0
        ? "0"
        : joinBalanced(
            node.nodes.map((n) => build(n, params)),
            "OR",
          );
    case "not":
      return `(NOT ${build(node.node, params)})`;
    case "eq":
      return eq(node.path, node.value, params);
    case "cmp":
      return cmp(node.path, node.op, node.value, params);
    case "in":
      return inList(node.path, node.values, params);
    case "contains":
      return contains(node.path, node.value, params);
    case "containsAny":
      return containsAny(node.path, node.values, params);
  }
}

export function whereToSql(node: WhereNode): SqlFragment {
  const params: unknown[] = [];
  const sql = build(node, params);
  return { sql, params };
}

/** ORDER BY clause; ties always end with `id` ascending so pages are stable. */
export function orderToSql(orderBy: readonly OrderBy[] | undefined): string {
  const terms: string[] = [];
  for (const { field, direction } of orderBy ?? []) {
    if (direction !== "asc" && direction !== "desc")
      throw new Error(`DocStore: invalid direction ${direction}`);
    terms.push(`${valueExpr(field)} ${direction === "asc" ? "ASC" : "DESC"}`);
    if (field === "id") return ` ORDER BY ${terms.join(", ")}`;
  }
  terms.push("id ASC");
  return ` ORDER BY ${terms.join(", ")}`;
}
