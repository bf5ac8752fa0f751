import { describe, expect, it } from "vitest";
import { createSendWindow } from "./send-window.js";

/** Whether `promise` has settled, a little while after it was made. */
async function settledSoon(promise: Promise<void>): Promise<() => boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  return () => settled;
}

describe("the fan-out's send window", () => {
  it("has room below its capacity, and again once an attempt leaves", async () => {
    const window = createSendWindow(2, 60_000);
    await window.room();
    const leaveFirst = window.enter();
    window.enter();
    const waiting = window.room();
    const roomy = await settledSoon(waiting);
    expect(roomy()).toBe(false);
    leaveFirst();
    leaveFirst();
    await waiting;
    expect(roomy()).toBe(true);
  });

  it("stops counting an attempt held past holdMs, so a dead endpoint cannot stall the fan-out", async () => {
    let now = 0;
    const window = createSendWindow(1, 50, () => now);
    window.enter();
    const waiting = window.room();
    const roomy = await settledSoon(waiting);
    expect(roomy()).toBe(false);
    now = 50;
    await waiting;
    expect(roomy()).toBe(true);
  });
});
