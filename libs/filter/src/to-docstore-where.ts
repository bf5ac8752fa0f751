import type { Where } from "@strata/docstore";
import type { AppError, Result } from "@strata/errors";
import { err, ok } from "@strata/errors";
import type { BoundCondition, BoundFilterNode, Literal } from "./ast.js";
import { checkExpandedSize } from "./expanded-size.js";
import type { TranslateOptions } from "./translate-options.js";
import { containsIsEquality, SUBSTRING_REASON, unsupported } from "./translate-options.js";

/**
 * Translates to a DocStore query with the semantics of `toPredicate`. The DocStore's `$eq` is scalar
 * equality, so `eq x` becomes `$eq x OR $contains x` (an array holding x also matches). The one thing
 * the DocStore cannot do is a substring match: a string `contains` on a field not listed in
 * `arrayFields` is an error value, and so is a filter expanded past MAX_EXPANDED_VALUES values.
 */
export function toDocStoreWhere(
  node: BoundFilterNode,
  options: TranslateOptions = {},
): Result<Where, AppError> {
  const size = checkExpandedSize(node);
  return size.ok ? translate(node, options) : size;
}

function translate(node: BoundFilterNode, options: TranslateOptions): Result<Where, AppError> {
  switch (node.kind) {
    case "and":
    case "or": {
      const parts: Where[] = [];
      for (const child of node.nodes) {
        const r = translate(child, options);
        if (!r.ok) return r;
        parts.push(r.value);
      }
      return ok(node.kind === "and" ? { $and: parts } : { $or: parts });
    }
    case "not": {
      const inner = translate(node.node, options);
      return inner.ok ? ok({ $not: inner.value }) : inner;
    }
    case "condition":
      return condition(node, options);
  }
}

function condition(node: BoundCondition, options: TranslateOptions): Result<Where, AppError> {
  const f = node.field;
  switch (node.operator) {
    case "eq":
      return ok(equals(f, node.value));
    case "ne":
      return ok({ $not: equals(f, node.value) });
    case "in":
      return ok(oneOf(f, node.value));
    case "nin":
      return ok({ $not: oneOf(f, node.value) });
    case "gt":
      return ok({ [f]: { $gt: node.value } });
    case "gte":
      return ok({ [f]: { $gte: node.value } });
    case "lt":
      return ok({ [f]: { $lt: node.value } });
    case "lte":
      return ok({ [f]: { $lte: node.value } });
    case "exists":
      return ok({ [f]: { $exists: node.value } });
    case "contains":
      return containsIsEquality(node, options)
        ? ok(equals(f, node.value))
        : err(unsupported("docstore", node, SUBSTRING_REASON));
  }
}

function equals(field: string, value: Literal): Where {
  return { $or: [{ [field]: { $eq: value } }, { [field]: { $contains: value } }] };
}

function oneOf(field: string, values: readonly Literal[]): Where {
  if (values.length === 0) return { $or: [] };
  return { $or: [{ [field]: { $in: values } }, { [field]: { $containsAny: values } }] };
}
