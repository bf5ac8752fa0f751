import { MAX_DIMENSIONS } from "@strata/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { batchFeatureVectorsSchema } from "./binary-vectors.js";
import { numberVector } from "./number-vector.js";

const URI = "strata://e@v1/embedding";
/** The rule the one-loop check stands for: what zod's own array schema accepts and refuses. */
const reference = z.array(z.number()).min(1).max(MAX_DIMENSIONS);

const parse = (vector: unknown) => batchFeatureVectorsSchema.safeParse({ [URI]: vector });

describe("batch vectors given as JSON numbers", () => {
  it("accepts exactly what z.array(z.number()).min(1).max(MAX_DIMENSIONS) accepts, values untouched", () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ noNaN: false }) },
      fc.constantFrom("1", null, true, undefined, {}, [], Number.POSITIVE_INFINITY),
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(value, { maxLength: 12 }), fc.anything()), (vector) => {
        const fast = parse(vector);
        const zod = reference.safeParse(vector);
        expect(fast.success).toBe(zod.success);
        if (fast.success && zod.success) expect(fast.data[URI]).toEqual(zod.data);
      }),
      { numRuns: 2_000 },
    );
  });

  it("answers the very issues zod's array answers: code, path and message, every bad value by its index", () => {
    const issues = (result: { error?: { issues: readonly z.core.$ZodIssue[] } }) =>
      result.error?.issues.map(({ code, path, message }) => ({ code, path, message }));
    const value = fc.oneof(
      { weight: 4, arbitrary: fc.double({ noNaN: false }) },
      fc.constantFrom("1", null, true, {}, Number.NEGATIVE_INFINITY),
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(value, { maxLength: 8 }), fc.anything()), (vector) => {
        const ours = issues(numberVector.safeParse(vector));
        const zods = issues(reference.safeParse(vector));
        // Given no array at all, zod also runs the length checks on whatever has a length (a
        // string's); the first issue, that it is not an array, is the one that matters.
        expect(ours).toEqual(Array.isArray(vector) ? zods : zods?.slice(0, 1));
      }),
      { numRuns: 2_000 },
    );
    expect(issues(numberVector.safeParse([0.5, "x", 1, Number.NaN]))).toEqual([
      { code: "invalid_type", path: [1], message: "Invalid input: expected number, received string" },
      { code: "invalid_type", path: [3], message: "Invalid input: expected number, received NaN" },
    ]);
    for (const tooLong of [[], new Array(MAX_DIMENSIONS + 1).fill(0)]) {
      expect(issues(numberVector.safeParse(tooLong))).toEqual(issues(reference.safeParse(tooLong)));
    }
  });

  it("refuses an empty vector and one longer than MAX_DIMENSIONS", () => {
    expect(parse([]).success).toBe(false);
    expect(parse(new Array(MAX_DIMENSIONS + 1).fill(0)).success).toBe(false);
    expect(parse(new Array(MAX_DIMENSIONS).fill(0)).success).toBe(true);
  });
});
