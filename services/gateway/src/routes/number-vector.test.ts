import { MAX_DIMENSIONS } from "@strata/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { batchFeatureVectorsSchema } from "./binary-vectors.js";

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

  it("names the first value that is not a finite number by its index", () => {
    const answer = parse([0.5, 1, "x", Number.NaN]);
    expect(answer.success).toBe(false);
    expect(answer.error?.issues).toEqual([
      expect.objectContaining({ path: [URI, 2], message: "Invalid input: expected finite number" }),
    ]);
  });

  it("refuses an empty vector and one longer than MAX_DIMENSIONS", () => {
    expect(parse([]).success).toBe(false);
    expect(parse(new Array(MAX_DIMENSIONS + 1).fill(0)).success).toBe(false);
    expect(parse(new Array(MAX_DIMENSIONS).fill(0)).success).toBe(true);
  });
});
