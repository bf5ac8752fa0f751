import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit.js";

describe("groupCommit", () => {
  it("writes one tick's submissions as one batch and answers each item its own result, in order", async () => {
    const batches: number[][] = [];
    const double = groupCommit(async (items: readonly number[]) => {
      batches.push([...items]);
      return items.map((n) => n * 2);
    }, 64);
    const results = await Promise.all([1, 2, 3].map((n) => double(n)));
    expect(results).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("splits a queue longer than maxBatch into batches of at most maxBatch", async () => {
    const batches: number[][] = [];
    const echo = groupCommit(async (items: readonly number[]) => {
      batches.push([...items]);
      return items;
    }, 2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => echo(n)));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("puts what is submitted while a batch is being written into the next batch", async () => {
    const batches: string[][] = [];
    let releaseFirst = (): void => {};
    const firstWritten = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const write = groupCommit(async (items: readonly string[]) => {
      batches.push([...items]);
      if (batches.length === 1) await firstWritten;
      return items.map((item) => `${item}!`);
    }, 64);
    const first = write("a");
    await new Promise((resolve) => setImmediate(resolve));
    const later = [write("b"), write("c")];
    releaseFirst();
    expect(await Promise.all([first, ...later])).toEqual(["a!", "b!", "c!"]);
    expect(batches).toEqual([["a"], ["b", "c"]]);
  });

  it("rejects every item of a failed batch and keeps serving the next ones", async () => {
    let failNext = true;
    const write = groupCommit(async (items: readonly number[]) => {
      if (failNext) {
        failNext = false;
        throw new Error("disk full");
      }
      return items;
    }, 64);
    const failed = await Promise.allSettled([write(1), write(2)]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(failed.map((r) => (r.status === "rejected" ? (r.reason as Error).message : ""))).toEqual([
      "disk full",
      "disk full",
    ]);
    expect(await write(3)).toBe(3);
  });
});
