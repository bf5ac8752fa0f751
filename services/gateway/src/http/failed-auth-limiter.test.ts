import { describe, expect, it } from "vitest";
import { FailedAuthLimiter } from "./failed-auth-limiter.js";

describe("FailedAuthLimiter", () => {
  it("blocks a source after max failures until its window ends, leaving other sources alone", () => {
    let now = 0;
    const limiter = new FailedAuthLimiter({ max: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.blockedForSeconds("10.0.0.1")).toBe(0);
      limiter.recordFailure("10.0.0.1");
    }
    expect(limiter.blockedForSeconds("10.0.0.1")).toBe(60);
    expect(limiter.blockedForSeconds("10.0.0.2")).toBe(0);
    now = 59_500;
    expect(limiter.blockedForSeconds("10.0.0.1")).toBe(1);
    now = 60_000;
    expect(limiter.blockedForSeconds("10.0.0.1")).toBe(0);
  });

  it("keeps at most maxSources windows, dropping the oldest", () => {
    const limiter = new FailedAuthLimiter({ max: 1, windowMs: 60_000, now: () => 0, maxSources: 2 });
    limiter.recordFailure("a");
    limiter.recordFailure("b");
    limiter.recordFailure("c");
    expect(limiter.blockedForSeconds("a")).toBe(0);
    expect(limiter.blockedForSeconds("b")).toBe(60);
    expect(limiter.blockedForSeconds("c")).toBe(60);
  });

  it("is off with max 0", () => {
    const limiter = new FailedAuthLimiter({ max: 0, windowMs: 60_000 });
    for (let i = 0; i < 10; i += 1) limiter.recordFailure("a");
    expect(limiter.blockedForSeconds("a")).toBe(0);
  });
});
