import { describe, expect, it } from "vitest";
import { createSendWindow } from "./send-window.js";

/** Whether `promise` has settled, a little while after it was made. */
async function settledSoon(promise: Promise<unknown>): Promise<() => boolean> {
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
    const givePlace = await window.room();
    const leaveFirst = window.enter();
    window.enter();
    givePlace();
    const waiting = window.room();
    const roomy = await settledSoon(waiting);
    expect(roomy()).toBe(false);
    leaveFirst();
    leaveFirst();
    await waiting;
    expect(roomy()).toBe(true);
  });

  it("holds a place for each event let in until its attempts enter, so a crowd cannot overfill it", async () => {
    const window = createSendWindow(4, 60_000);
    // Four events let in at the same moment, none fanned out yet: the window is full.
    const places = await Promise.all([window.room(), window.room(), window.room(), window.room()]);
    const fifth = window.room();
    const roomy = await settledSoon(fifth);
    expect(roomy()).toBe(false);
    // Each fans out to one attempt, which takes its event's place: still full.
    const leaves = places.map((givePlace) => {
      const leave = window.enter();
      givePlace();
      givePlace();
      return leave;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(roomy()).toBe(false);
    // Drained to half: the waiting event goes on.
    leaves[0]?.();
    leaves[1]?.();
    await fifth;
    expect(roomy()).toBe(true);
  });

  it("lets no more waiting events go on than it has room for", async () => {
    const window = createSendWindow(4, 60_000);
    const leaves = [window.enter(), window.enter(), window.enter(), window.enter()];
    const waiting = Array.from({ length: 6 }, () => window.room());
    const settled = await Promise.all(waiting.map((w) => settledSoon(w)));
    for (const leave of leaves) leave();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled.filter((isSettled) => isSettled()).length).toBe(4);
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
