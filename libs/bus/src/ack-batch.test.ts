import { describe, expect, it } from "vitest";
import { AckBatch } from "./ack-batch.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("AckBatch", () => {
  it("sends the acks of one turn together on the next turn, in the order they came", async () => {
    const batch = new AckBatch();
    const sent: number[] = [];
    for (const n of [1, 2, 3]) {
      batch.add(() => sent.push(n));
      await Promise.resolve(); // a handler's continuation: later microtasks of the same turn
    }
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual([1, 2, 3]);
    batch.add(() => sent.push(4));
    await nextTurn();
    expect(sent).toEqual([1, 2, 3, 4]);
  });

  it("sends what is queued at once when flushed, and nothing twice", async () => {
    const batch = new AckBatch();
    const sent: string[] = [];
    batch.add(() => sent.push("a"));
    batch.flush();
    expect(sent).toEqual(["a"]);
    await nextTurn();
    expect(sent).toEqual(["a"]);
  });

  it("goes on past an ack that throws (a closed connection)", async () => {
    const batch = new AckBatch();
    const sent: string[] = [];
    batch.add(() => {
      throw new Error("connection closed");
    });
    batch.add(() => sent.push("b"));
    await nextTurn();
    expect(sent).toEqual(["b"]);
  });
});
