import { MAX_DIMENSIONS } from "@strata/contracts";
import { z } from "zod";

/**
 * A vector as JSON numbers: 1 to MAX_DIMENSIONS finite numbers. The same rule, issues and JSON
 * Schema as `z.array(z.number()).min(1).max(MAX_DIMENSIONS)`, checked in one loop: zod's array
 * builds a result object per element and a copy of the array, for every number of a batch (11.5
 * million in 30,000 × 384), and that garbage was the largest part of the ingest's collection time
 * (profile of 2026-12-05).
 */
export const numberVector = z
  .custom<number[]>(() => true)
  .superRefine((values: unknown, context) => {
    if (!Array.isArray(values)) {
      context.addIssue({ code: "invalid_type", expected: "array", input: values });
      return;
    }
    if (values.length < 1) {
      context.addIssue({ code: "too_small", origin: "array", minimum: 1, inclusive: true, input: values });
      return;
    }
    if (values.length > MAX_DIMENSIONS) {
      context.addIssue({
        code: "too_big",
        origin: "array",
        maximum: MAX_DIMENSIONS,
        inclusive: true,
        input: values,
      });
      return;
    }
    for (let i = 0; i < values.length; i++) {
      const value: unknown = values[i];
      // JSON reads 1e400 as Infinity, which z.number() refuses too.
      if (typeof value !== "number" || !Number.isFinite(value)) {
        context.addIssue({ code: "invalid_type", expected: "number", input: value, path: [i] });
      }
    }
  })
  .meta({ minItems: 1, maxItems: MAX_DIMENSIONS, type: "array", items: { type: "number" } });
