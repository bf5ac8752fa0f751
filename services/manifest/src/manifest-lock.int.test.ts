import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Step, StepRunner } from "./domain/ports.js";
import { answerOf, manifestCalls } from "./testing/manifest-calls.js";
import { type ManifestHarness, startManifestHarness } from "./testing/service-harness.js";

// Every step of both replicas, in the order they ran, tagged with the replica.
const trail: string[] = [];
let release: () => void = () => {};
let holdFirst: Promise<void> | undefined;
const recording =
  (replica: string): StepRunner =>
  async (step: Step, run) => {
    trail.push(`${replica} ${step.operation} ${step.section}/${step.name}`);
    // The first replica's first step waits until the test lets it go: the lease is held meanwhile.
    if (replica === "one" && holdFirst !== undefined) {
      const wait = holdFirst;
      holdFirst = undefined;
      await wait;
    }
    return run();
  };

let harness: ManifestHarness;

beforeAll(async () => {
  harness = await startManifestHarness({ runStep: recording("one") });
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe("the per-namespace apply lock", () => {
  it("two applies on one namespace through two replicas never interleave", async () => {
    const two = await harness.startReplica(recording("two"));
    const callsOne = manifestCalls(harness.manifest, harness.caller);
    const callsTwo = manifestCalls(two, harness.caller);
    const namespaceId = await harness.newNamespace();
    const first = { version: "1.0", metadata: { name: "one" }, buckets: [{ name: "a" }, { name: "b" }] };
    const second = { version: "1.0", metadata: { name: "two" }, buckets: [{ name: "c" }, { name: "d" }] };

    holdFirst = new Promise((resolve) => {
      release = resolve;
    });
    const applyOne = callsOne.apply(namespaceId, first);
    // Wait until the first apply holds the lease and is inside its first step.
    while (!trail.includes("one create buckets/a")) await new Promise((r) => setTimeout(r, 10));
    const applyTwo = callsTwo.apply(namespaceId, second);
    await new Promise((r) => setTimeout(r, 500));
    // The second replica has not started a step while the first holds the lease.
    expect(trail.filter((t) => t.startsWith("two"))).toEqual([]);
    release();
    answerOf(await applyOne);
    const two2 = answerOf(await applyTwo);
    expect(trail).toEqual([
      "one create buckets/a",
      "one create buckets/b",
      "two create buckets/c",
      "two create buckets/d",
    ]);
    // The second planned after the first finished: it saw a and b (no prune, so they stay no-ops).
    expect(two2.plan.changes.map((c) => `${c.action} ${c.name}`)).toEqual(["create c", "create d"]);
    const names = ((await callsOne.exportOf(namespaceId)).buckets as { name: string }[]).map((b) => b.name);
    expect(names).toEqual(["a", "b", "c", "d"]);
  });
});
