import { describe, expect, it } from "vitest";
import { chunksOf } from "./chunks-of.js";

describe("chunksOf", () => {
  it("cuts a list into runs of the size, in order, the last one shorter", () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(chunksOf([], 3)).toEqual([]);
  });

  it("treats a size below one as one, so it always ends", () => {
    expect(chunksOf(["a", "b"], 0)).toEqual([["a"], ["b"]]);
    expect(chunksOf(["a", "b"], -5)).toEqual([["a"], ["b"]]);
  });
});
