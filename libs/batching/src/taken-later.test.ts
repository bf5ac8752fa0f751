import { describe, expect, it } from "vitest";
import { takenLater } from "./taken-later.js";

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("takenLater", () => {
  it("hands the items of one moment over together, after the current task", async () => {
    const taken: number[][] = [];
    const later = takenLater<number>((items) => taken.push(items));
    later.add(1);
    later.add(2);
    expect(taken).toEqual([]);
    await turn();
    later.add(3);
    await turn();
    expect(taken).toEqual([[1, 2], [3]]);
  });

  it("hands over at once what waits when asked, and when `most` items wait", async () => {
    const taken: number[][] = [];
    const later = takenLater<number>((items) => taken.push(items), 3);
    later.add(1);
    later.takeNow();
    later.takeNow();
    for (const n of [2, 3, 4, 5]) later.add(n);
    expect(taken).toEqual([[1], [2, 3, 4]]);
    await turn();
    expect(taken).toEqual([[1], [2, 3, 4], [5]]);
    await turn();
    expect(taken).toHaveLength(3);
  });
});
