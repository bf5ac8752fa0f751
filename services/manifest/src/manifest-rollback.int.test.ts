import { appError, err } from "@strata/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Step, StepRunner } from "./domain/ports.js";
import { answerOf, manifestCalls } from "./testing/manifest-calls.js";
import { FEATURE } from "./testing/sample-manifests.js";
import { type ManifestHarness, startManifestHarness } from "./testing/service-harness.js";

// The failure is injected through the service's own port (the StepRunner), not by faking a client:
// every other step reaches the real owning services.
let failWhen: ((step: Step) => boolean) | undefined;
const seen: Step[] = [];
const failingRunner: StepRunner = (step, run) => {
  seen.push(step);
  if (failWhen?.(step) === true) return Promise.resolve(err(appError("unavailable", "injected failure")));
  return run();
};

let harness: ManifestHarness;
let calls: ReturnType<typeof manifestCalls>;

beforeAll(async () => {
  harness = await startManifestHarness({ runStep: failingRunner });
  calls = manifestCalls(harness.manifest, harness.caller);
}, 60_000);

afterAll(async () => {
  failWhen = undefined;
  await harness?.close();
});

const before = {
  version: "1.0",
  metadata: { name: "r" },
  buckets: [{ name: "a", description: "first" }, { name: "gone" }],
  collections: [{ name: "c1", features: [{ feature_uri: FEATURE, dimensions: 4 }] }],
  retrievers: [{ name: "r1", collections: ["c1"], feature_uri: FEATURE, top_k: 5 }],
};

const after = {
  version: "1.0",
  metadata: { name: "r" },
  // a: a new description (updated in place), b: new, gone: pruned.
  buckets: [{ name: "a", description: "second" }, { name: "b" }],
  // c1: new dimensions (replace); r1 refers to it and changes too.
  collections: [{ name: "c1", features: [{ feature_uri: FEATURE, dimensions: 8 }] }],
  retrievers: [{ name: "r1", collections: ["c1"], feature_uri: FEATURE, top_k: 9 }],
  webhooks: [{ name: "w", url: "https://hooks.example.com/x", events: ["document.*"] }],
};

describe("all or nothing", () => {
  it("a failure midway undoes every change the apply made and reports it", async () => {
    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, before));
    const exported = await calls.exportOf(namespaceId, "r");

    seen.length = 0;
    // The last step of the apply fails: everything before it had been carried out.
    failWhen = (step) => step.purpose === "apply" && step.section === "webhooks";
    const failed = await calls.apply(namespaceId, after, { prune: true });
    failWhen = undefined;

    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.kind).toBe("unavailable");
    expect(failed.error.message).toContain("webhooks 'w' (create): injected failure");
    expect(failed.error.message).toContain("was undone");
    const details = failed.error.details as {
      rolled_back: unknown[];
      rollback_failed: unknown[];
      failed: unknown;
    };
    expect(details.failed).toEqual({ kind: "webhooks", name: "w", operation: "create" });
    expect(details.rollback_failed).toEqual([]);
    expect(details.rolled_back).toEqual(
      expect.arrayContaining([
        { kind: "buckets", name: "b", operation: "delete" },
        { kind: "buckets", name: "gone", operation: "create" },
        { kind: "buckets", name: "a", operation: "update" },
        { kind: "collections", name: "c1", operation: "create" },
        { kind: "retrievers", name: "r1", operation: "update" },
      ]),
    );
    // The apply had really carried the earlier steps out before the failure.
    const applied = seen
      .filter((s) => s.purpose === "apply")
      .map((s) => `${s.operation} ${s.section}/${s.name}`);
    expect(applied).toEqual([
      "delete buckets/gone",
      "update buckets/a",
      "create buckets/b",
      "delete collections/c1",
      "create collections/c1",
      "update retrievers/r1",
      "create webhooks/w",
    ]);

    // The namespace is exactly as before, the retriever bound to the restored collection by name.
    expect(await calls.exportOf(namespaceId, "r")).toEqual(exported);
    const plan = answerOf(await calls.diff(namespaceId, before));
    expect(plan.changes.every((c) => c.action === "no-op")).toBe(true);

    // And the same apply without the failure goes through.
    const done = answerOf(await calls.apply(namespaceId, after, { prune: true }));
    expect(done.plan.summary).toMatchObject({ create: 2, update: 2, replace: 1, delete: 1 });
    const final = await calls.exportOf(namespaceId, "r");
    expect(final).toMatchObject({
      buckets: [
        { name: "a", description: "second" },
        { name: "b", description: "" },
      ],
      collections: [{ name: "c1", features: [{ dimensions: 8 }] }],
      retrievers: [{ name: "r1", collections: ["c1"], top_k: 9 }],
    });
  });

  it("a failure among steps running side by side undoes every one of them, finished or under way", async () => {
    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, before));
    const exported = await calls.exportOf(namespaceId, "r");
    const many = {
      ...after,
      buckets: Array.from({ length: 60 }, (_, i) => ({ name: `many-${i}`, description: `${i}` })),
      webhooks: [],
    };

    seen.length = 0;
    failWhen = (step) => step.purpose === "apply" && step.name === "many-30";
    const failed = await calls.apply(namespaceId, many, { prune: true });
    failWhen = undefined;

    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error.message).toContain("buckets 'many-30' (create): injected failure");
    const details = failed.error.details as { rolled_back: { name: string }[]; rollback_failed: unknown[] };
    expect(details.rollback_failed).toEqual([]);
    // Nothing of a later kind started, and the buckets created beside the failing one were removed.
    const applied = seen.filter((s) => s.purpose === "apply");
    expect(applied.some((s) => s.section !== "buckets")).toBe(false);
    const createdBuckets = applied.filter((s) => s.operation === "create" && s.name !== "many-30");
    expect(createdBuckets.length).toBeGreaterThanOrEqual(30);
    for (const { name } of createdBuckets)
      expect(details.rolled_back).toContainEqual({ kind: "buckets", name, operation: "delete" });
    expect(await calls.exportOf(namespaceId, "r")).toEqual(exported);
  });

  it("re-binds a resource to one its apply replaces, so it never points at the deleted one", async () => {
    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, before));
    const replaceOnly = {
      ...before,
      collections: [{ name: "c1", features: [{ feature_uri: FEATURE, dimensions: 16 }] }],
    };
    const plan = answerOf(await calls.diff(namespaceId, replaceOnly));
    const r1 = plan.changes.find((c) => c.name === "r1");
    expect(r1).toMatchObject({ action: "update", fields: [{ field: "collections", rebind: true }] });
    expect(plan.text).toContain("re-bound");
    answerOf(await calls.apply(namespaceId, replaceOnly));
    expect((await calls.exportOf(namespaceId)).retrievers).toMatchObject([
      { name: "r1", collections: ["c1"] },
    ]);
    expect(answerOf(await calls.diff(namespaceId, replaceOnly)).summary.update).toBe(0);
  });
});
