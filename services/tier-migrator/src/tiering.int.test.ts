import type { Caller } from "@strata/access";
import { EVENTS_STREAM } from "@strata/events";
import { type ResultClient, resultClient } from "@strata/grpc";
import { newId } from "@strata/ids";
import { tieringV1, tierToProto } from "@strata/proto";
import { afterEach, describe, expect, it } from "vitest";
import { ACCESS_TABLE, POLICIES_TABLE } from "./domain/tables.js";
import {
  adminOf,
  DAY_MS,
  eventually,
  type MigratorHarness,
  namespaceEvent,
  publishEvents,
  readerOf,
  startMigratorHarness,
} from "./testing/service-harness.js";

const harnesses: MigratorHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function setUp(overrides = {}) {
  const h = await startMigratorHarness(overrides);
  harnesses.push(h);
  const org = newId("organization");
  const namespaceId = h.namespace.addNamespace(org);
  const api = resultClient(h.client, tieringV1.TieringServiceService, { service: "tier-migrator" });
  return { h, org, namespaceId, api, admin: adminOf(org) };
}

type TieringApi = ResultClient<typeof tieringV1.TieringServiceService>;

const policy = (p: Partial<tieringV1.TieringPolicy>): tieringV1.TieringPolicy => ({
  collectionIds: [],
  ...p,
});

/** Documents created now, announced with document.created (seeded where the namespace has a policy). */
async function createDocuments(h: MigratorHarness, namespaceId: string, collectionId: string, n: number) {
  const docs = Array.from({ length: n }, (_, i) =>
    h.namespace.addDocument(namespaceId, collectionId, Float32Array.from([i, 1, 2, 3]), h.clock.now()),
  );
  await publishEvents(
    h.nc,
    docs.map((d) =>
      namespaceEvent(
        "document.created",
        d.organizationId,
        namespaceId,
        {
          document_id: d.documentId,
          collection_id: collectionId,
          namespace_id: namespaceId,
          organization_id: d.organizationId,
          tier: "hot",
          feature_uris: ["strata://test@v1/embedding"],
        },
        d.createdAt,
      ),
    ),
  );
  return docs;
}

async function sweepAndWait(api: TieringApi, caller: Caller, namespaceId: string) {
  const run = await api.runSweep({ namespaceId }, { caller });
  if (!run.ok) throw new Error(run.error.message);
  const jobId = run.value.job?.jobId ?? "";
  return eventually(async () => {
    const job = await api.getSweepJob({ namespaceId, jobId }, { caller });
    return job.ok && job.value.job?.status === tieringV1.SweepStatus.SWEEP_STATUS_COMPLETED
      ? job.value.job
      : undefined;
  });
}

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

describe("sweeps", () => {
  it("demotes hot → warm → cold → archive as days pass unread, and counts each move", async () => {
    const { h, namespaceId, api, admin } = await setUp();
    const collectionId = h.namespace.addCollection(namespaceId);
    const docs = await createDocuments(h, namespaceId, collectionId, 5);
    const set = await api.setPolicy(
      {
        namespaceId,
        policy: policy({ hotToWarmAfterDays: 7, warmToColdAfterDays: 30, coldToArchiveAfterDays: 90 }),
      },
      { caller: admin },
    );
    expect(set.ok).toBe(true);
    h.clock.advance(6 * DAY_MS);
    expect((await sweepAndWait(api, admin, namespaceId)).counts?.moved).toBe(0);
    h.clock.advance(2 * DAY_MS);
    const first = await sweepAndWait(api, admin, namespaceId);
    expect(first.counts).toMatchObject({ hotToWarm: 5, moved: 5, pending: 0 });
    expect(docs.every((d) => d.tier === "warm")).toBe(true);
    h.clock.advance(25 * DAY_MS);
    await h.service.sweepNow();
    expect(docs.every((d) => d.tier === "cold")).toBe(true);
    h.clock.advance(60 * DAY_MS);
    await h.service.sweepNow();
    expect(docs.every((d) => d.tier === "archive")).toBe(true);
    // Every move was sent once: nothing is in flight, nothing moved twice.
    await h.service.sweepNow();
    expect(h.namespace.moveCalls).toBe(3);
  });

  it("keeps read documents hot and promotes warm documents accessed often enough", async () => {
    const { h, namespaceId, api, admin, org } = await setUp();
    const collectionId = h.namespace.addCollection(namespaceId);
    const [busy, idle, popular] = await createDocuments(h, namespaceId, collectionId, 3);
    if (busy === undefined || idle === undefined || popular === undefined) throw new Error("no documents");
    await api.setPolicy(
      {
        namespaceId,
        policy: policy({ hotToWarmAfterDays: 7, promoteAfterAccesses: 3, promoteWindowHours: 24 }),
      },
      { caller: admin },
    );
    h.clock.advance(5 * DAY_MS);
    await access(h, org, namespaceId, collectionId, busy.documentId, "hot", { reads: 1, hits: 0 });
    h.clock.advance(3 * DAY_MS);
    await h.service.sweepNow();
    expect([busy.tier, idle.tier, popular.tier]).toEqual(["hot", "warm", "warm"]);
    await access(h, org, namespaceId, collectionId, popular.documentId, "warm", { reads: 0, hits: 2 });
    await access(h, org, namespaceId, collectionId, idle.documentId, "warm", { reads: 0, hits: 1 });
    await h.service.sweepNow();
    expect([idle.tier, popular.tier]).toEqual(["warm", "warm"]);
    await access(h, org, namespaceId, collectionId, popular.documentId, "warm", { reads: 1, hits: 0 });
    await h.service.sweepNow();
    expect([idle.tier, popular.tier]).toEqual(["warm", "hot"]);
  });

  it("brings a cold document back to hot when it is read directly, not when a search returns it", async () => {
    const { h, namespaceId, api, admin, org } = await setUp();
    const collectionId = h.namespace.addCollection(namespaceId);
    const [searched, read] = await createDocuments(h, namespaceId, collectionId, 2);
    if (searched === undefined || read === undefined) throw new Error("no documents");
    await api.setPolicy(
      { namespaceId, policy: policy({ hotToWarmAfterDays: 1, warmToColdAfterDays: 2 }) },
      { caller: admin },
    );
    h.clock.advance(3 * DAY_MS);
    await h.service.sweepNow();
    await h.service.sweepNow();
    expect([searched.tier, read.tier]).toEqual(["cold", "cold"]);
    await access(h, org, namespaceId, collectionId, searched.documentId, "cold", { reads: 0, hits: 4 });
    await access(h, org, namespaceId, collectionId, read.documentId, "cold", { reads: 1, hits: 0 });
    expect([searched.tier, read.tier]).toEqual(["cold", "hot"]);
  });

  it("seeds documents it never saw created from the namespace's placements", async () => {
    const { h, namespaceId, api, admin } = await setUp();
    const collectionId = h.namespace.addCollection(namespaceId);
    // Created before tier-migrator ran: no document.created reaches it.
    const old = h.namespace.addDocument(
      namespaceId,
      collectionId,
      Float32Array.from([1, 2, 3, 4]),
      h.clock.now(),
    );
    await api.setPolicy({ namespaceId, policy: policy({ hotToWarmAfterDays: 10 }) }, { caller: admin });
    h.clock.advance(11 * DAY_MS);
    const job = await sweepAndWait(api, admin, namespaceId);
    expect(job.counts?.hotToWarm).toBe(1);
    expect(old.tier).toBe("warm");
  });

  it("keeps no statistics for a namespace without a policy; a policy's first sweep seeds them", async () => {
    const { h, namespaceId, api, admin, org } = await setUp();
    const untiered = h.namespace.addCollection(namespaceId);
    const tieredNamespace = h.namespace.addNamespace(org);
    const tiered = h.namespace.addCollection(tieredNamespace);
    await api.setPolicy(
      { namespaceId: tieredNamespace, policy: policy({ hotToWarmAfterDays: 10 }) },
      { caller: admin },
    );
    const docs = await createDocuments(h, namespaceId, untiered, 3);
    await createDocuments(h, tieredNamespace, tiered, 2);
    const store = await h.openStore();
    const rows = (ns: string) => store.table(ACCESS_TABLE).count({ namespace_id: ns });
    await eventually(async () => ((await rows(tieredNamespace)) === 2 ? true : undefined));
    // Every document.created handled (none pending or unacknowledged), and none of them seeded.
    const jsm = await h.nc.jetstreamManager();
    await eventually(async () => {
      const info = await jsm.consumers.info(EVENTS_STREAM, "tier_migrator_document_created");
      return info.num_pending + info.num_ack_pending === 0 ? true : undefined;
    });
    expect(await rows(namespaceId)).toBe(0);
    await api.setPolicy({ namespaceId, policy: policy({ hotToWarmAfterDays: 10 }) }, { caller: admin });
    h.clock.advance(11 * DAY_MS);
    const job = await sweepAndWait(api, admin, namespaceId);
    expect(job.counts?.hotToWarm).toBe(3);
    expect(docs.every((d) => d.tier === "warm")).toBe(true);
    expect(await rows(namespaceId)).toBe(3);
    await store.close();
  });

  it("counts no reads without a policy; a policy set later demotes nothing before its threshold has passed since then", async () => {
    const { h, namespaceId, api, admin, org } = await setUp();
    const collectionId = h.namespace.addCollection(namespaceId);
    const docs = await createDocuments(h, namespaceId, collectionId, 2);
    const [read] = docs;
    if (read === undefined) throw new Error("no documents");
    h.clock.advance(15 * DAY_MS);
    await access(h, org, namespaceId, collectionId, read.documentId, "hot", { reads: 1, hits: 0 });
    const store = await h.openStore();
    expect(await store.table(ACCESS_TABLE).count({ namespace_id: namespaceId })).toBe(0);
    await store.close();
    // Both were created 20 days before the policy; one was read 5 days before it, uncounted.
    h.clock.advance(5 * DAY_MS);
    await api.setPolicy({ namespaceId, policy: policy({ hotToWarmAfterDays: 10 }) }, { caller: admin });
    h.clock.advance(9 * DAY_MS);
    expect((await sweepAndWait(api, admin, namespaceId)).counts?.moved).toBe(0);
    expect(docs.map((d) => d.tier)).toEqual(["hot", "hot"]);
    h.clock.advance(2 * DAY_MS);
    expect((await sweepAndWait(api, admin, namespaceId)).counts?.hotToWarm).toBe(2);
    expect(docs.map((d) => d.tier)).toEqual(["warm", "warm"]);
  });

  it("answers the running sweep instead of starting a second one", async () => {
    const { h, namespaceId, api, admin } = await setUp({ TIER_MOVE_RATE: "20", TIER_MOVE_BATCH: "10" });
    const collectionId = h.namespace.addCollection(namespaceId);
    await createDocuments(h, namespaceId, collectionId, 30);
    await api.setPolicy({ namespaceId, policy: policy({ hotToWarmAfterDays: 1 }) }, { caller: admin });
    h.clock.advance(2 * DAY_MS);
    const first = await api.runSweep({ namespaceId }, { caller: admin });
    const second = await api.runSweep({ namespaceId }, { caller: admin });
    expect(first.ok && first.value.started).toBe(true);
    expect(second.ok && second.value.started).toBe(false);
    expect(second.ok && second.value.job?.jobId).toBe(first.ok ? first.value.job?.jobId : "");
    await h.service.sweepsIdle();
    const done = await api.getSweepJob(
      { namespaceId, jobId: first.ok ? (first.value.job?.jobId ?? "") : "" },
      { caller: admin },
    );
    expect(done.ok && done.value.job?.counts).toMatchObject({ hotToWarm: 30, moved: 30, pending: 0 });
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

async function access(
  h: MigratorHarness,
  org: string,
  namespaceId: string,
  collectionId: string,
  documentId: string,
  tier: "hot" | "warm" | "cold",
  counts: { reads: number; hits: number },
) {
  const at = h.clock.now().toISOString();
  const event = namespaceEvent("document.accessed", org, namespaceId, {
    namespace_id: namespaceId,
    organization_id: org,
    window_start: at,
    window_end: at,
    accesses: [
      { collection_id: collectionId, document_id: documentId, tier, ...counts, last_accessed_at: at },
    ],
  });
  await publishEvents(h.nc, [event]);
  await eventually(() => (h.service.pendingAccesses() > 0 ? true : undefined));
  await h.service.flushAccesses();
}
