import { describe, expect, it } from "vitest";
import { createSendWindow } from "./send-window.js";

describe("the fan-out's send window", () => {
  it("has room below its capacity, and again once an attempt leaves", async () => {
    const window = createSendWindow(2, 60_000);
    await window.room();
    const leaveFirst = window.enter();
    window.enter();
    let roomy = false;
    const waiting = window.room().then(() => {
      roomy = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(roomy).toBe(false);
    leaveFirst();
    leaveFirst();
    await waiting;
    expect(roomy).toBe(true);
  });

  it("stops counting an attempt held past holdMs, so a dead endpoint cannot stall the fan-out", async () => {
    let now = 0;
    const window = createSendWindow(1, 50, () => now);
    window.enter();
    let roomy = false;
    const waiting = window.room().then(() => {
      roomy = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(roomy).toBe(false);
    now = 50;
    await waiting;
    expect(roomy).toBe(true);
  });
});
