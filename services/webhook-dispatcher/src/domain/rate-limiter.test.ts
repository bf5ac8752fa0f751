import { describe, expect, it } from "vitest";
import { createEndpointRateLimiter } from "./rate-limiter.js";

describe("the per-endpoint rate limit", () => {
  it("admits a second's worth at once, then hands out turns spaced at the rate", () => {
    const limiter = createEndpointRateLimiter();
    const admitted = Array.from({ length: 5 }, () => limiter.admit("w", 5, 0));
    expect(admitted).toEqual([0, 0, 0, 0, 0]);
    const turns = Array.from({ length: 3 }, () => limiter.admit("w", 5, 0));
    expect(turns).toEqual([200, 400, 600]);
  });

  it("refills with time and keeps endpoints apart", () => {
    const limiter = createEndpointRateLimiter();
    expect(limiter.admit("slow", 1, 0)).toBe(0);
    expect(limiter.admit("slow", 1, 10)).toBeGreaterThan(0);
    expect(limiter.admit("other", 1, 10)).toBe(0);
    expect(limiter.admit("slow", 1, 1_010)).toBe(0);
  });

  it("never limits a webhook without a limit", () => {
    const limiter = createEndpointRateLimiter();
    for (let i = 0; i < 1000; i++) expect(limiter.admit("w", null, 0)).toBe(0);
  });
});
