import { afterEach, describe, expect, it, vi } from "vitest";
import { startMemorySettler } from "./memory-settler.js";

describe("startMemorySettler", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("collects once a large enough burst has been quiet for quietMs, and not before", () => {
    vi.useFakeTimers();
    const collect = vi.fn();
    const settler = startMemorySettler({ quietMs: 2_000, minWork: 1_000, collect });
    settler.noteWork(600);
    vi.advanceTimersByTime(1_500);
    settler.noteWork(600);
    vi.advanceTimersByTime(1_999);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(collect).toHaveBeenCalledTimes(1);
    settler.stop();
  });

  it("leaves a small burst alone, and counts the next burst from zero after a collection", () => {
    vi.useFakeTimers();
    const collect = vi.fn();
    const settler = startMemorySettler({ quietMs: 100, minWork: 1_000, collect });
    settler.noteWork(999);
    vi.advanceTimersByTime(200);
    expect(collect).not.toHaveBeenCalled();
    settler.noteWork(1);
    vi.advanceTimersByTime(100);
    expect(collect).toHaveBeenCalledTimes(1);
    settler.noteWork(999);
    vi.advanceTimersByTime(100);
    expect(collect).toHaveBeenCalledTimes(1);
    settler.stop();
  });

  it("frees the old generation's garbage with V8's full collection by default", async () => {
    // Objects that survive a few scavenges are promoted; once dropped, only a full collection frees them.
    let kept: { n: number; s: string }[] | undefined = Array.from({ length: 400_000 }, (_, n) => ({
      n,
      s: `item-${n}`,
    }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(kept.length).toBe(400_000);
    kept = undefined;
    const before = process.memoryUsage().heapUsed;
    const settler = startMemorySettler({ quietMs: 1, minWork: 1 });
    settler.noteWork(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = process.memoryUsage().heapUsed;
    expect(before - after).toBeGreaterThan(10_000_000);
  });
});
