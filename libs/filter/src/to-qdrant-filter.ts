import type { Schemas } from "@qdrant/js-client-rest";
import type { AppError, Result } from "@strata/errors";
import { err, ok } from "@strata/errors";
import type { BoundCondition, BoundFilterNode, Literal } from "./ast.js";
import { isMatchAll, isMatchNothing } from "./ast.js";
import { simplify } from "./simplify.js";
import type { TranslateOptions } from "./translate-options.js";
import { containsIsEquality, SUBSTRING_REASON, unsupported } from "./translate-options.js";

export type QdrantFilter = Schemas["Filter"];
export type QdrantCondition = Schemas["Condition"];

export interface QdrantFilterOptions extends TranslateOptions {
  /** Prepended to every field, for payloads that nest the document (e.g. "doc."). */
  readonly fieldPrefix?: string;
}

/** A key no payload has: the anchor of the always-false filter below. */
const NEVER_KEY = "__strata_match_nothing";

/**
 * Translates to a Qdrant filter (must = AND, should = OR, must_not = NOT). Qdrant conditions already
 * match an array payload when any element matches, and `must_not` matches points without the field,
 * which is exactly `toPredicate`'s `eq`/`ne`/`in`/`nin`. Numbers that are not safe integers use
 * `range {gte, lte}` because Qdrant's `match` takes only keywords, integers and booleans.
 * `match: {except}` is not used: it matches when *some* array element is outside the list, not none.
 *
 * Errors (Qdrant cannot express them): range on strings (Qdrant ranges are numeric or RFC 3339
 * datetimes), and string `contains` on a field not in `arrayFields` (Qdrant `match: {text}` is a
 * token match, not a substring match).
 *
 * Known divergences, which the collection schema is expected to rule out: Qdrant's `is_empty` treats
 * an empty array as absent (so `exists true` does not match `[]`), a range matches an array payload
 * when any element is in range, and a dotted key may reach into arrays of objects.
 */
export function toQdrantFilter(
  node: BoundFilterNode,
  options: QdrantFilterOptions = {},
): Result<QdrantFilter, AppError> {
  const simple = simplify(node);
  if (isMatchAll(simple)) return ok({});
  const prefix = options.fieldPrefix ?? "";
  if (isMatchNothing(simple)) {
    const never = { is_empty: { key: `${prefix}${NEVER_KEY}` } };
    return ok({ must: [never], must_not: [never] });
  }
  const translated = convert(simple, prefix, options);
  if (!translated.ok) return translated;
  const c = translated.value;
  return ok(isFilter(c) ? c : { must: [c] });
}

function isFilter(c: QdrantCondition): c is QdrantFilter {
  return !("key" in c) && !("is_empty" in c) && !("is_null" in c) && !("has_id" in c);
}

function convert(
  node: BoundFilterNode,
  prefix: string,
  options: TranslateOptions,
): Result<QdrantCondition, AppError> {
  switch (node.kind) {
    case "and":
    case "or":
    case "not": {
      const children =
        node.kind === "not" ? (node.node.kind === "or" ? node.node.nodes : [node.node]) : node.nodes;
      const parts: QdrantCondition[] = [];
      for (const child of children) {
        const r = convert(child, prefix, options);
        if (!r.ok) return r;
        parts.push(r.value);
      }
      if (node.kind === "and") return ok({ must: parts });
      return ok(node.kind === "or" ? { should: parts } : { must_not: parts });
    }
    case "condition":
      return condition(node, `${prefix}${node.field}`, options);
  }
}

function condition(
  node: BoundCondition,
  key: string,
  options: TranslateOptions,
): Result<QdrantCondition, AppError> {
  switch (node.operator) {
    case "eq":
      return ok(equals(key, node.value));
    case "ne":
      return ok({ must_not: [equals(key, node.value)] });
    case "in":
      return ok(oneOf(key, node.value));
    case "nin":
      return ok({ must_not: [oneOf(key, node.value)] });
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      if (typeof node.value === "string") {
        return err(
          unsupported("qdrant", node, "Qdrant ranges compare numbers (or RFC 3339 datetimes), not strings"),
        );
      }
      return ok({ key, range: { [node.operator]: node.value } });
    case "exists": {
      const empty: QdrantCondition = { is_empty: { key } };
      return ok(node.value ? { must_not: [empty] } : empty);
    }
    case "contains":
      return containsIsEquality(node, options)
        ? ok(equals(key, node.value))
        : err(unsupported("qdrant", node, SUBSTRING_REASON));
  }
}

function equals(key: string, value: Literal): QdrantCondition {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    return { key, range: { gte: value, lte: value } };
  }
  return { key, match: { value } };
}

function oneOf(key: string, values: readonly Literal[]): QdrantCondition {
  const unique = [...new Set(values)];
  const strings = unique.filter((v): v is string => typeof v === "string");
  const integers = unique.filter((v): v is number => typeof v === "number" && Number.isSafeInteger(v));
  const parts: QdrantCondition[] = [];
  // match.any takes one type per list (keywords or integers); other values get a condition each.
  if (strings.length > 0) parts.push({ key, match: { any: strings } });
  if (integers.length > 0) parts.push({ key, match: { any: integers } });
  for (const v of unique) {
    if (typeof v === "boolean" || (typeof v === "number" && !Number.isSafeInteger(v)))
      parts.push(equals(key, v));
  }
  const [only] = parts;
  return parts.length === 1 && only ? only : { should: parts };
}
