import type { AppError, Result } from "@strata/errors";
import { appError, err, ok } from "@strata/errors";
import type { BoundFilterNode } from "./ast.js";
import { MAX_EXPANDED_VALUES } from "./limits.js";

/** How many values the filter compares fields with: one per condition, a set's size for in / nin. */
export function expandedValueCount(node: BoundFilterNode): number {
  switch (node.kind) {
    case "and":
    case "or":
      return node.nodes.reduce((sum, child) => sum + expandedValueCount(child), 0);
    case "not":
      return expandedValueCount(node.node);
    case "condition":
      return Array.isArray(node.value) ? node.value.length : 1;
  }
}

/** A validation error (422) when the expanded filter holds more than MAX_EXPANDED_VALUES values. */
export function checkExpandedSize(node: BoundFilterNode): Result<void, AppError> {
  const values = expandedValueCount(node);
  if (values <= MAX_EXPANDED_VALUES) return ok(undefined);
  const message = `The filter compares with ${values} values once taxonomy labels and caller references are expanded; at most ${MAX_EXPANDED_VALUES} are allowed`;
  return err(
    appError("validation", message, {
      values,
      limit: MAX_EXPANDED_VALUES,
      validation_errors: [{ location: "filters", message, type: "too_many_values" }],
    }),
  );
}
