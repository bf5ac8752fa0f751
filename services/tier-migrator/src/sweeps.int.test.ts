import { EVENTS_STREAM } from "@strata/events";
import { describe, expect, it } from "vitest";
import { ACCESS_TABLE } from "./domain/tables.js";
import { DAY_MS, eventually } from "./testing/service-harness.js";
import {
  access,
  closeScenariosAfterEach,
  createDocuments,
  policy,
  setUp,
  sweepAndWait,
} from "./testing/tiering-scenario.js";

closeScenariosAfterEach();

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
    // Changing the policy keeps the date its counting began.
    await api.setPolicy({ namespaceId, policy: policy({ hotToWarmAfterDays: 10 }) }, { caller: admin });
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
