import { readEventStream } from "@strata/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretReference } from "./domain/secrets.js";
import { answerOf, manifestCalls } from "./testing/manifest-calls.js";
import { SHOP_SECRETS, SHOP_YAML } from "./testing/sample-manifests.js";
import { type ManifestHarness, startManifestHarness } from "./testing/service-harness.js";

let harness: ManifestHarness;
let calls: ReturnType<typeof manifestCalls>;

beforeAll(async () => {
  harness = await startManifestHarness();
  calls = manifestCalls(harness.manifest, harness.caller);
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

async function appliedEvents(namespaceId: string) {
  const events = await readEventStream(harness.nc);
  return events.filter((e) => e.type === "manifest.applied" && e.namespaceid === namespaceId);
}

describe("apply, export and diff", () => {
  it("applies a manifest into an empty namespace, and its export applied elsewhere exports identically", async () => {
    const first = await harness.newNamespace();
    const applied = answerOf(await calls.apply(first, SHOP_YAML, { secrets: SHOP_SECRETS }));
    expect(applied.changed).toBe(true);
    expect(applied.plan.summary).toMatchObject({ create: 5, update: 0, replace: 0, delete: 0 });

    const exported = await calls.exportOf(first, "shop");
    expect(exported).toMatchObject({
      version: "1.0",
      metadata: { name: "shop" },
      buckets: [{ name: "raw", description: "uploads" }],
      taxonomies: [
        {
          name: "topics",
          nodes: [
            { label: "science", parent: null },
            { label: "physics", parent: "science" },
          ],
        },
      ],
      retrievers: [{ name: "search", collections: ["products"], top_k: 5 }],
      // The header's value is a secret: exported as a reference, never in clear.
      webhooks: [{ name: "ops", headers: { Authorization: secretReference("WEBHOOK_OPS_AUTHORIZATION") } }],
    });
    expect(JSON.stringify(exported)).not.toContain(SHOP_SECRETS.OPS_TOKEN);

    const second = await harness.newNamespace();
    const secrets = { WEBHOOK_OPS_AUTHORIZATION: SHOP_SECRETS.OPS_TOKEN };
    answerOf(await calls.apply(second, exported, { secrets }));
    expect(await calls.exportOf(second, "shop")).toEqual(exported);
    // And the diff of the export against its source is empty.
    expect(answerOf(await calls.diff(first, exported, { secrets })).summary).toMatchObject({
      create: 0,
      update: 0,
      replace: 0,
      delete: 0,
    });
  });

  it("is idempotent: a second apply changes nothing and emits no event", async () => {
    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, SHOP_YAML, { secrets: SHOP_SECRETS }));
    expect(await appliedEvents(namespaceId)).toHaveLength(1);
    const again = answerOf(await calls.apply(namespaceId, SHOP_YAML, { secrets: SHOP_SECRETS }));
    expect(again.changed).toBe(false);
    expect(again.apply_id).toBeNull();
    expect(again.plan.changes.every((c) => c.action === "no-op")).toBe(true);
    expect(again.plan_text).toContain("No changes");
    expect(await appliedEvents(namespaceId)).toHaveLength(1);
  });

  it("plans update in place, replace for an immutable field, with field-level before and after", async () => {
    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, SHOP_YAML, { secrets: SHOP_SECRETS }));
    const changed = SHOP_YAML.replace("top_k: 5", "top_k: 7").replace("dimensions: 4", "dimensions: 8");
    const plan = answerOf(await calls.diff(namespaceId, changed, { secrets: SHOP_SECRETS }));
    const byName = new Map(plan.changes.map((c) => [`${c.kind}/${c.name}`, c]));
    expect(byName.get("retrievers/search")).toMatchObject({
      action: "update",
      fields: [
        { field: "top_k", before: 5, after: 7 },
        // Its collection comes back with a new id: the update points it there too.
        { field: "collections", before: ["products"], after: ["products"], rebind: true },
      ],
    });
    expect(byName.get("collections/products")?.action).toBe("replace");
    expect(plan.text).toContain("-/+ collections/products");
    expect(plan.text).toContain("~ retrievers/search");
    // The secret never shows in a plan.
    expect(JSON.stringify(plan)).not.toContain(SHOP_SECRETS.OPS_TOKEN);

    const applied = answerOf(await calls.apply(namespaceId, changed, { secrets: SHOP_SECRETS }));
    expect(applied.plan.summary).toMatchObject({ update: 1, replace: 1 });
    const exported = await calls.exportOf(namespaceId);
    expect(exported).toMatchObject({
      collections: [{ name: "products", features: [{ dimensions: 8 }] }],
      retrievers: [{ name: "search", top_k: 7 }],
    });
    expect(await appliedEvents(namespaceId)).toHaveLength(2);
  });

  it("refuses an apply whose reviewed plan hash is stale (the namespace changed), and a dry run changes nothing", async () => {
    const namespaceId = await harness.newNamespace();
    const plan = answerOf(await calls.diff(namespaceId, SHOP_YAML, { secrets: SHOP_SECRETS }));
    const dry = answerOf(await calls.apply(namespaceId, SHOP_YAML, { secrets: SHOP_SECRETS, dryRun: true }));
    expect(dry).toMatchObject({ dry_run: true, changed: false, apply_id: null });
    expect(dry.plan.plan_hash).toBe(plan.plan_hash);
    expect((await calls.exportOf(namespaceId)).buckets).toEqual([]);

    // Someone else changes the namespace between review and apply.
    answerOf(
      await calls.apply(namespaceId, {
        version: "1.0",
        metadata: { name: "other" },
        buckets: [{ name: "raw" }],
      }),
    );
    const stale = await calls.apply(namespaceId, SHOP_YAML, {
      secrets: SHOP_SECRETS,
      expectedPlanHash: plan.plan_hash,
    });
    expect(stale.ok).toBe(false);
    if (!stale.ok) {
      expect(stale.error.kind).toBe("conflict");
      expect(stale.error.message).toContain("changed since the plan");
    }
    const fresh = answerOf(await calls.diff(namespaceId, SHOP_YAML, { secrets: SHOP_SECRETS }));
    answerOf(
      await calls.apply(namespaceId, SHOP_YAML, { secrets: SHOP_SECRETS, expectedPlanHash: fresh.plan_hash }),
    );
  });
});

describe("prune", () => {
  it("deletes only what earlier applies created, never what no manifest created, and never a protected resource", async () => {
    const namespaceId = await harness.newNamespace();
    // Made outside any manifest.
    await harness.createBucketDirectly(namespaceId, "outsider");
    const base = {
      version: "1.0",
      metadata: { name: "p" },
      buckets: [{ name: "keep" }, { name: "drop" }, { name: "guarded", protect: true }],
    };
    answerOf(await calls.apply(namespaceId, base));
    // A later apply lists the outsider (adopts it, a no-op): it still is no apply's creation.
    answerOf(await calls.apply(namespaceId, { ...base, buckets: [...base.buckets, { name: "outsider" }] }));

    const kept = { ...base, buckets: [{ name: "keep" }, { name: "guarded", protect: true }] };
    const plan = answerOf(await calls.diff(namespaceId, kept, { prune: true }));
    expect(plan.changes.filter((c) => c.action === "delete").map((c) => c.name)).toEqual(["drop"]);
    expect(plan.text).toContain("- buckets/drop");

    // Without prune nothing is deleted.
    expect(answerOf(await calls.diff(namespaceId, kept)).summary.delete).toBe(0);

    // A prune that would delete a protected resource is refused as a whole.
    const refused = await calls.apply(namespaceId, { ...base, buckets: [{ name: "keep" }] }, { prune: true });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.kind).toBe("validation");
    expect(((await calls.exportOf(namespaceId)).buckets as unknown[]).length).toBe(4);

    const pruned = answerOf(await calls.apply(namespaceId, kept, { prune: true }));
    expect(pruned.plan.summary.delete).toBe(1);
    const names = ((await calls.exportOf(namespaceId)).buckets as { name: string }[]).map((b) => b.name);
    expect(names).toEqual(["guarded", "keep", "outsider"]);
  });
});
