import { describe, expect, it } from "vitest";
import { BackgroundIndexer } from "./background-indexer.js";
import type { EmbeddedSpace } from "./embedded-space.js";

/** A space with `waiting` vectors for the graph that records how many each step was allowed. */
function spaceWaiting(waiting: number, msPerVector: number) {
  const allowed: number[] = [];
  const space = {
    get pending() {
      return waiting > 0;
    },
    indexStep(max: number) {
      allowed.push(max);
      const done = Math.min(max, waiting);
      const until = performance.now() + done * msPerVector;
      while (performance.now() < until) {
        // the graph insert's CPU time
      }
      waiting -= done;
      return done;
    },
    saveGraphIfWorthIt() {},
  };
  return { space: space as unknown as EmbeddedSpace, allowed };
}

const OPTIONS = {
  threads: 1,
  stepBudgetMs: 15,
  searchStepBudgetMs: 2,
  snapshotEvery: 1_000_000,
  snapshotWhenIdleAfter: 1_000_000,
  busyWindowMs: 1_000,
  busyPauseMs: 300,
};

describe("BackgroundIndexer", () => {
  it("takes short steps while searches come, so a search waits less for the event loop", async () => {
    const quiet = spaceWaiting(3_000, 0.02);
    const idleIndexer = new BackgroundIndexer(() => [quiet.space], OPTIONS);
    await idleIndexer.idle();
    const searched = spaceWaiting(3_000, 0.02);
    const searchedIndexer = new BackgroundIndexer(() => [searched.space], OPTIONS);
    searchedIndexer.noteSearch();
    await searchedIndexer.idle();
    // Once the cost per vector is learnt, the steps follow the budget: 15 ms against 2 ms (a slow
    // machine makes both smaller alike).
    const largest = (allowed: number[]) => Math.max(...allowed);
    expect(largest(quiet.allowed)).toBeGreaterThanOrEqual(4 * largest(searched.allowed));
    expect(searched.allowed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3_000);
  });
});
