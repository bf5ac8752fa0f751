import type { AppError, Result } from "@strata/errors";
import { err, ok } from "@strata/errors";
import type { BoundCondition, BoundFilterNode, RangeOperator } from "./ast.js";
import { isMatchAll, isMatchNothing } from "./ast.js";
import { simplify } from "./simplify.js";
import type { TranslateOptions } from "./translate-options.js";
import { containsIsEquality, SUBSTRING_REASON, unsupported } from "./translate-options.js";

/** JSON as the S3 Vectors client's `DocumentType` accepts it (mutable on purpose: it is assignable). */
export type S3VectorsJson = string | number | boolean | S3VectorsJson[] | { [key: string]: S3VectorsJson };
export type S3VectorsFilter = { [key: string]: S3VectorsJson };

export interface S3VectorsFilterOptions extends TranslateOptions {
  /** Prepended to every metadata key. */
  readonly fieldPrefix?: string;
}

/** S3 Vectors asks ENHANCED-mode queries to use at most 100 filter constraints. */
export const S3_VECTORS_MAX_CONSTRAINTS = 100;

const NEVER_KEY = "__strata_match_nothing";
const INVERSE: Record<RangeOperator, RangeOperator> = { gt: "lte", gte: "lt", lt: "gte", lte: "gt" };

/**
 * Translates to an S3 Vectors metadata filter. `ok(undefined)` means "no filter" (every vector
 * matches): omit the `filter` parameter. The warm-tier adapter must store metadata the way this
 * assumes: nested objects flattened to dotted keys ("metadata.year"), null values left out (null and
 * absent are the same in this language).
 *
 * S3 Vectors has no NOT, so negation is pushed down (De Morgan; eq↔ne, in↔nin, gt↔lte, exists↔!exists).
 * AWS does not document whether `$ne`/`$nin` match a vector without the key, so absent keys are added
 * explicitly: `ne x` is `{$or: [{k: {$exists: false}}, {k: {$ne: x}}]}`, right under either reading.
 *
 * Errors: ranges on strings (S3 Vectors ranges take numbers only), string `contains` on a field not in
 * `arrayFields` (no substring operator), more than 100 constraints. Assumption, which the collection's
 * metadata schema guarantees: a field compared with a range holds a number (not an array, not another
 * type) where present — NOT(year > 2020) is sent as "year absent or year <= 2020".
 */
export function toS3VectorsFilter(
  node: BoundFilterNode,
  options: S3VectorsFilterOptions = {},
): Result<S3VectorsFilter | undefined, AppError> {
  const simple = simplify(node);
  if (isMatchAll(simple)) return ok(undefined);
  const prefix = options.fieldPrefix ?? "";
  if (isMatchNothing(simple)) {
    const key = `${prefix}${NEVER_KEY}`;
    return ok({ $and: [{ [key]: { $exists: true } }, { [key]: { $exists: false } }] });
  }
  const counter = { constraints: 0 };
  const translated = convert(simple, false, prefix, options, counter);
  if (!translated.ok) return translated;
  if (counter.constraints > S3_VECTORS_MAX_CONSTRAINTS) {
    return err({
      kind: "validation",
      message: `Filter needs ${counter.constraints} S3 Vectors constraints; at most ${S3_VECTORS_MAX_CONSTRAINTS} are allowed`,
      details: { backend: "s3vectors", constraints: counter.constraints },
    });
  }
  return translated;
}

interface Counter {
  constraints: number;
}

function convert(
  node: BoundFilterNode,
  negated: boolean,
  prefix: string,
  options: TranslateOptions,
  counter: Counter,
): Result<S3VectorsFilter, AppError> {
  switch (node.kind) {
    case "not":
      return convert(node.node, !negated, prefix, options, counter);
    case "and":
    case "or": {
      // De Morgan: under a negation an AND of children becomes an OR of negated children.
      const op = (node.kind === "and") !== negated ? "$and" : "$or";
      const parts: S3VectorsFilter[] = [];
      for (const child of node.nodes) {
        const r = convert(child, negated, prefix, options, counter);
        if (!r.ok) return r;
        const nested = r.value[op];
        // Flatten {$or: [.., {$or: [...]}]} so the JSON stays small and readable.
        if (Object.keys(r.value).length === 1 && Array.isArray(nested))
          parts.push(...(nested as S3VectorsFilter[]));
        else parts.push(r.value);
      }
      return ok({ [op]: parts });
    }
    case "condition":
      return condition(node, negated, `${prefix}${node.field}`, options, counter);
  }
}

function condition(
  node: BoundCondition,
  negated: boolean,
  key: string,
  options: TranslateOptions,
  counter: Counter,
): Result<S3VectorsFilter, AppError> {
  const constraint = (operator: string, value: S3VectorsJson): S3VectorsFilter => {
    counter.constraints += 1;
    return { [key]: { [operator]: value } };
  };
  const absentOr = (operator: string, value: S3VectorsJson): S3VectorsFilter => ({
    $or: [constraint("$exists", false), constraint(operator, value)],
  });
  switch (node.operator) {
    case "eq":
    case "ne":
      return ok(
        (node.operator === "eq") !== negated ? constraint("$eq", node.value) : absentOr("$ne", node.value),
      );
    case "in":
    case "nin":
      return ok(
        (node.operator === "in") !== negated
          ? constraint("$in", [...node.value])
          : absentOr("$nin", [...node.value]),
      );
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      if (typeof node.value === "string") {
        return err(unsupported("s3vectors", node, "S3 Vectors ranges compare numbers only"));
      }
      return ok(
        negated
          ? absentOr(`$${INVERSE[node.operator]}`, node.value)
          : constraint(`$${node.operator}`, node.value),
      );
    case "exists":
      return ok(constraint("$exists", node.value !== negated));
    case "contains":
      if (!containsIsEquality(node, options)) return err(unsupported("s3vectors", node, SUBSTRING_REASON));
      return ok(negated ? absentOr("$ne", node.value) : constraint("$eq", node.value));
  }
}
