import { newId } from "@strata/ids";
import { tierToProto } from "@strata/proto";
import { describe, expect, it } from "vitest";
import { ACCESS_TABLE, POLICIES_TABLE } from "./domain/tables.js";
import {
  adminOf,
  DAY_MS,
  eventually,
  namespaceEvent,
  publishEvents,
  readerOf,
} from "./testing/service-harness.js";
import {
  closeScenariosAfterEach,
  createDocuments,
  policy,
  setUp,
  sweepAndWait,
} from "./testing/tiering-scenario.js";

closeScenariosAfterEach();

describe("tiering policy", () => {
  it("is off by default and nothing moves without one", async () => {
    const { h, namespaceId, api, admin } = await setUp();
    const got = await api.getPolicy({ namespaceId }, { caller: admin });
    expect(got.ok && got.value.policy).toEqual(policy({}));
    expect(got.ok && got.value.updatedAt).toBeUndefined();
    const collectionId = h.namespace.addCollection(namespaceId);
    const docs = await createDocuments(h, namespaceId, collectionId, 3);
    h.clock.advance(400 * DAY_MS);
    await h.service.sweepNow();
    expect(docs.map((d) => d.tier)).toEqual(["hot", "hot", "hot"]);
    const job = await sweepAndWait(api, admin, namespaceId);
    expect(job.counts?.moved).toBe(0);
  });

  it("refuses bad values with every problem at once", async () => {
    const { namespaceId, api, admin } = await setUp();
    const set = await api.setPolicy(
      {
        namespaceId,
        policy: policy({
          hotToWarmAfterDays: -1,
          warmToColdAfterDays: 0,
          promoteAfterAccesses: 0,
          collectionIds: ["col_missing", "col_missing"],
        }),
      },
      { caller: admin },
    );
    expect(set.ok).toBe(false);
    if (set.ok) return;
    expect(set.error.kind).toBe("validation");
    const issues = (set.error.details?.validation_errors ?? []) as { location: string }[];
    const locations = issues.map((i) => i.location);
    expect(locations.sort()).toEqual(
      [
        "body.hot_to_warm_after_days",
        "body.warm_to_cold_after_days",
        "body.promote_after_accesses",
        "body.promote_window_hours",
        "body.collection_ids[0]",
        "body.collection_ids[1]",
        "body.collection_ids[1]",
      ].sort(),
    );
  });

  it("names a dot-product collection the S3 Vectors warm tier cannot hold", async () => {
    const { h, namespaceId, api, admin } = await setUp({ STRATA_WARM_BACKEND: "s3vectors" });
    const dot = h.namespace.addCollection(namespaceId, "dot", "ranked");
    const cosine = h.namespace.addCollection(namespaceId, "cosine", "plain");
    const refused = await api.setPolicy(
      { namespaceId, policy: policy({ hotToWarmAfterDays: 30 }) },
      { caller: admin },
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.kind).toBe("validation");
      expect(JSON.stringify(refused.error.details)).toContain(`'ranked' (${dot})`);
    }
    const scoped = await api.setPolicy(
      { namespaceId, policy: policy({ hotToWarmAfterDays: 30, collectionIds: [cosine] }) },
      { caller: admin },
    );
    expect(scoped.ok).toBe(true);
    // Cold-only policies never put the dot collection into warm: allowed.
    const coldOnly = await api.setPolicy(
      { namespaceId, policy: policy({ warmToColdAfterDays: 30 }) },
      { caller: admin },
    );
    expect(coldOnly.ok).toBe(true);
  });

  it("looks absent to another organization and needs admin to change", async () => {
    const { namespaceId, api, org } = await setUp();
    const stranger = adminOf(newId("organization"));
    const got = await api.getPolicy({ namespaceId }, { caller: stranger });
    expect(!got.ok && got.error.kind).toBe("not_found");
    const set = await api.setPolicy(
      { namespaceId, policy: policy({ hotToWarmAfterDays: 1 }) },
      { caller: readerOf(org) },
    );
    expect(!set.ok && set.error.kind).toBe("forbidden");
    const otherKey = adminOf(org, [newId("namespace")]);
    const sweep = await api.runSweep({ namespaceId }, { caller: otherKey });
    expect(!sweep.ok && sweep.error.kind).toBe("not_found");
  });
});

describe("tier stats", () => {
  it("answers documents and bytes per tier per collection with the monthly cost at the configured prices", async () => {
    const { h, namespaceId, api, admin } = await setUp({
      TIER_PRICE_HOT: "1073741824",
      TIER_PRICE_WARM: "536870912",
    });
    const collectionId = h.namespace.addCollection(namespaceId);
    await createDocuments(h, namespaceId, collectionId, 4);
    await api.setPolicy({ namespaceId, policy: policy({ hotToWarmAfterDays: 1 }) }, { caller: admin });
    h.namespace.addDocument(
      namespaceId,
      collectionId,
      Float32Array.from([1, 2, 3, 4]),
      new Date(h.clock.now().getTime() + 5 * DAY_MS),
    );
    h.clock.advance(2 * DAY_MS);
    await sweepAndWait(api, admin, namespaceId);
    const stats = await api.getTierStats({ namespaceId }, { caller: admin });
    expect(stats.ok).toBe(true);
    if (!stats.ok) return;
    // A price of 2^30 USD per GB-month is 1 USD per byte: 16 bytes hot, 64 bytes warm at half that.
    expect(stats.value.collections).toEqual(
      expect.arrayContaining([
        { collectionId, tier: tierToProto("hot"), documents: 1, vectorBytes: 16, monthlyCostUsd: 16 },
        { collectionId, tier: tierToProto("warm"), documents: 4, vectorBytes: 64, monthlyCostUsd: 32 },
      ]),
    );
    expect(stats.value.monthlyCostUsd).toBe(48);
    expect(stats.value.tiers.map((t) => t.pricePerGbMonthUsd)).toEqual([1073741824, 536870912, 0.0125, 0]);
  });
});

describe("namespace deletion", () => {
  it("purges the namespace's policy, statistics and jobs once the namespace is gone", async () => {
    const { h, namespaceId, api, admin, org } = await setUp();
    const collectionId = h.namespace.addCollection(namespaceId);
    await api.setPolicy({ namespaceId, policy: policy({ hotToWarmAfterDays: 1 }) }, { caller: admin });
    await createDocuments(h, namespaceId, collectionId, 2);
    const store = await h.openStore();
    await eventually(async () =>
      (await store.table(ACCESS_TABLE).count({ namespace_id: namespaceId })) === 2 ? true : undefined,
    );
    h.namespace.namespaces.delete(namespaceId);
    expect(await store.table(POLICIES_TABLE).count()).toBe(1);
    await publishEvents(h.nc, [
      namespaceEvent("namespace.deleted", org, namespaceId, {
        namespace_id: namespaceId,
        organization_id: org,
        namespace_name: namespaceId,
      }),
    ]);
    await eventually(async () => ((await store.table(POLICIES_TABLE).count()) === 0 ? true : undefined));
    expect(await store.table(ACCESS_TABLE).count({ namespace_id: namespaceId })).toBe(0);
    await store.close();
  });
});
