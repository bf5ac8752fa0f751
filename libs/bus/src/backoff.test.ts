import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  it("doubles from initialMs per attempt and stays at maxMs", () => {
    const backoff = { initialMs: 500, maxMs: 5_000 };
    expect([1, 2, 3, 4, 5, 6, 50].map((attempt) => backoffDelay(attempt, backoff))).toEqual([
      500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000,
    ]);
  });

  it("takes an attempt below 1 as the first", () => {
    expect(backoffDelay(0, { initialMs: 100, maxMs: 1_000 })).toBe(100);
  });
});
