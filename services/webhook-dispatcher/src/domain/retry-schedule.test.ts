import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry-schedule.js";

const settings = { retryScheduleMs: [5_000, 300_000, 1_800_000], jitter: 0.2 };

describe("the retry schedule", () => {
  it("follows the schedule, then gives up", () => {
    expect(retryDelayMs(settings, 1, () => 0.5)).toBe(5_000);
    expect(retryDelayMs(settings, 2, () => 0.5)).toBe(300_000);
    expect(retryDelayMs(settings, 3, () => 0.5)).toBe(1_800_000);
    expect(retryDelayMs(settings, 4, () => 0.5)).toBeUndefined();
  });

  it("jitters by at most ±20 %", () => {
    expect(retryDelayMs(settings, 2, () => 0)).toBe(240_000);
    expect(retryDelayMs(settings, 2, () => 0.999_999)).toBe(360_000);
  });

  it("honours Retry-After within [delay, 2 × delay]", () => {
    expect(retryDelayMs(settings, 1, () => 0.5, 7)).toBe(7_000);
    expect(retryDelayMs(settings, 1, () => 0.5, 3_600)).toBe(10_000);
    expect(retryDelayMs(settings, 1, () => 0.5, 0)).toBe(5_000);
  });
});
