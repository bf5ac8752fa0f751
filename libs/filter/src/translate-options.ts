import type { AppError } from "@strata/errors";
import { appError } from "@strata/errors";
import type { BoundCondition } from "./ast.js";

export interface TranslateOptions {
  /**
   * Fields the collection's metadata schema declares as arrays. On them `contains "x"` can only mean
   * "an element equals x" (a substring needs a string field), which every store can run. On any other
   * field a string `contains` may need a substring match, which only `toPredicate` can do.
   */
  readonly arrayFields?: ReadonlySet<string>;
}

export type FilterBackend = "docstore" | "qdrant" | "s3vectors";

/** A filter the chosen store cannot evaluate exactly: a validation error naming the limitation. */
export function unsupported(backend: FilterBackend, node: BoundCondition, reason: string): AppError {
  const message = `Filter on ${node.field} (${node.operator}) cannot run on ${backend}: ${reason}`;
  return appError("validation", message, {
    backend,
    field: node.field,
    operator: node.operator,
    validation_errors: [{ location: node.field, message, type: "unsupported_filter" }],
  });
}

/** Whether `contains` on this condition is plain element/value equality (true for non-strings). */
export function containsIsEquality(node: BoundCondition, options: TranslateOptions): boolean {
  return typeof node.value !== "string" || (options.arrayFields?.has(node.field) ?? false);
}

export const SUBSTRING_REASON =
  "a string contains is a substring match on string fields; declare the field as an array (arrayFields) or use eq to match array elements";
