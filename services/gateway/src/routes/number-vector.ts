import { MAX_DIMENSIONS } from "@strata/contracts";
import { z } from "zod";

/**
 * A vector as JSON numbers: 1 to MAX_DIMENSIONS finite numbers, each refused at its own index.
 * The same rule and JSON Schema as `z.array(z.number()).min(1).max(MAX_DIMENSIONS)`, checked in
 * one loop: zod's array builds a result object per element and a copy of the array, for every
 * number of a batch (11.5 million in 30,000 × 384), and that garbage was the largest part of the
 * ingest's collection time (profile of 2026-12-05).
 */
export const numberVector = z
  .custom<number[]>((value) => Array.isArray(value), { message: "Invalid input: expected array of numbers" })
  .superRefine((values, context) => {
    if (values.length < 1 || values.length > MAX_DIMENSIONS) {
      context.addIssue({
        code: "custom",
        message: `A vector has 1 to ${MAX_DIMENSIONS} numbers, not ${values.length}`,
      });
      return;
    }
    const bad = firstNonNumber(values);
    if (bad >= 0) {
      context.addIssue({ code: "custom", message: "Invalid input: expected finite number", path: [bad] });
    }
  })
  .meta({ minItems: 1, maxItems: MAX_DIMENSIONS, type: "array", items: { type: "number" } });

/** The index of the first value that is not a finite number (JSON reads 1e400 as Infinity), or -1. */
function firstNonNumber(values: readonly unknown[]): number {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== "number" || !Number.isFinite(value)) return i;
  }
  return -1;
}
