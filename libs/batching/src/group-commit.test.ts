import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit.js";

describe("groupCommit", () => {
  it("runs the items submitted in one tick as one batch, and answers each its own result in order", async () => {
    const batches: number[][] = [];
    const double = groupCommit(async (items: readonly number[]) => {
      batches.push([...items]);
      return items.map((n) => n * 2);
    }, 100);
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("holds items that arrive while a batch is written for the next one, up to maxBatch each", async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    const write = groupCommit(async (items: readonly string[]) => {
      batches.push([...items]);
      if (batches.length === 1) await firstHeld;
      return items.map((s) => s.toUpperCase());
    }, 2);
    const first = write("a");
    await new Promise((resolve) => setImmediate(resolve));
    const later = ["b", "c", "d"].map(write);
    release();
    expect(await Promise.all([first, ...later])).toEqual(["A", "B", "C", "D"]);
    expect(batches).toEqual([["a"], ["b", "c"], ["d"]]);
  });

  it("rejects every item of a batch whose run threw, and goes on with the next batch", async () => {
    let calls = 0;
    const write = groupCommit(async (items: readonly number[]) => {
      calls++;
      if (calls === 1) throw new Error("store unavailable");
      return items;
    }, 10);
    const failed = await Promise.allSettled([write(1), write(2)]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await write(3)).toBe(3);
  });
});
