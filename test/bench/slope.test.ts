import { describe, expect, it } from "vitest";
import { slope } from "./slope.js";

describe("slope", () => {
  it("is the rate of a straight line, and near it through noise", () => {
    const line = Array.from({ length: 10 }, (_, x) => ({ x, y: 3 * x + 7 }));
    expect(slope(line)).toBeCloseTo(3, 10);
    const sawtooth = Array.from({ length: 60 }, (_, x) => ({ x, y: 100 + (x % 5) * 10 + 0.5 * x }));
    expect(slope(sawtooth)).toBeCloseTo(0.5, 0);
  });

  it("is 0 for a flat series and for too few points", () => {
    expect(slope([1, 2, 3].map((x) => ({ x, y: 5 })))).toBe(0);
    expect(slope([{ x: 1, y: 9 }])).toBe(0);
    expect(slope([])).toBe(0);
  });
});
