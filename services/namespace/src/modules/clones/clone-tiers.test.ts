import { ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { type CloneStep, cloneIdOf } from "../../shared/clone-step.js";
import { callerOf } from "../../shared/test-support.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { getDocument } from "../documents/read-documents.js";
import { DOCUMENT_LABELS_TABLE, DOCUMENTS_TABLE, type Tier } from "../documents/tables.js";
import { NAMESPACES_TABLE } from "../namespaces/tables.js";
import { searchDocuments } from "../search/search-documents.js";
import { moveDocuments } from "../tiers/move-documents.js";
import { acceptClone } from "./accept-clone.js";
import { cloneStatus } from "./clone-status.js";
import {
  type CloneTestData,
  cloneTestData,
  createDocuments,
  createItems,
  TEST_FEATURE_URI,
} from "./clone-test-support.js";

const PLACEMENT: Readonly<Record<string, Tier>> = {
  d0: "hot",
  d1: "warm",
  d2: "warm",
  d3: "cold",
  d4: "cold",
  d5: "archive",
  d6: "hot",
  d7: "hot",
};

/** A namespace whose collection "items" holds eight documents spread over all four tiers. */
async function fourTiers() {
  const t = await cloneTestData();
  const admin = callerOf(t.organizationId);
  const collection = await createItems(t, 4);
  await createDocuments(t, t.namespaceId, 8, (i) => [1, i + 1, (i % 3) - 1, 0.5]);
  for (const to of ["warm", "cold", "archive"] as const)
    await move(t, t.namespaceId, collection.id, idsIn(to), to);
  return { t, admin, collection };
}

function idsIn(tier: Tier): string[] {
  return Object.keys(PLACEMENT).filter((id) => PLACEMENT[id] === tier);
}

async function move(t: CloneTestData, namespaceId: string, collectionId: string, ids: string[], to: Tier) {
  const moved = await moveDocuments(
    t.all,
    callerOf(t.organizationId),
    namespaceId,
    ids.map((documentId) => ({ collectionId, documentId, targetTier: to })),
    "manual",
  );
  if (!moved.ok) throw new Error(moved.error.message);
  expect(moved.value.map((m) => m.outcome)).toEqual(ids.map(() => "moved"));
}

async function cloneNamed(s: Awaited<ReturnType<typeof fourTiers>>, name: string) {
  const accepted = await acceptClone(s.t.all, s.admin, s.t.namespaceId, {
    namespaceName: name,
    includeWebhooks: false,
  });
  if (!accepted.ok) throw new Error(accepted.error.message);
  return accepted.value;
}

function clonedCollectionId(s: Awaited<ReturnType<typeof fourTiers>>, cloneId: string): string {
  return cloneIdOf(
    "collection",
    { namespaceId: cloneId, organizationId: s.t.organizationId },
    s.collection.id,
  );
}

async function collectionOf(t: CloneTestData, id: string): Promise<CollectionRecord> {
  const found = await t.all.store.table<CollectionRecord>(COLLECTIONS_TABLE).get(id);
  if (found === undefined) throw new Error(`no collection ${id}`);
  return found.record;
}

async function tierOf(t: CloneTestData, namespaceId: string, documentId: string): Promise<Tier | undefined> {
  const found = await getDocument(t.all, callerOf(t.organizationId), namespaceId, "items", documentId);
  return found.ok ? found.value.tier : undefined;
}

/** The document's vector as its tier holds it, rounded (float32 in every tier). */
async function vectorOf(t: CloneTestData, collectionId: string, documentId: string, tier: Tier) {
  const read = await t.all.vectors.read(
    await collectionOf(t, collectionId),
    documentId,
    [TEST_FEATURE_URI],
    tier,
  );
  if (!read.ok) throw new Error(read.error.message);
  return read.value.map((v) => v.vector.map((x) => Math.round(x * 1000) / 1000));
}

async function searchIn(t: CloneTestData, namespaceId: string, vector: number[], includeCold: boolean) {
  const found = await searchDocuments(t.all, callerOf(t.organizationId), namespaceId, {
    collectionIdentifiers: ["items"],
    featureUri: TEST_FEATURE_URI,
    vector,
    topK: 10,
    includeCold,
  });
  if (!found.ok) throw new Error(found.error.message);
  return found.value.hits.map((h) => [h.document.document_id, h.sourceTier, h.score.toFixed(5)]);
}

/** The collection's hot vectors and how many of its space's wait for the graph. */
async function hotIndexing(t: CloneTestData, collectionId: string) {
  const stats = await t.all.vectors.stats(await collectionOf(t, collectionId));
  if (!stats.ok) throw new Error(stats.error.message);
  return stats.value.map((f) => ({ vectors: f.vectors, pending: f.pending }));
}

describe("a clone of a namespace with documents in every tier", () => {
  it("copies a hot space with its graph (ADR 0037): ready, the clone searches without waiting for indexing", async () => {
    const t = await cloneTestData();
    const admin = callerOf(t.organizationId);
    const collection = await createItems(t, 4);
    await createDocuments(t, t.namespaceId, 300, (i) => [1, (i % 17) - 8, (i % 5) - 2, i / 300]);
    // The source's graph holds every vector before the clone is asked for.
    while ((await hotIndexing(t, collection.id))[0]?.pending !== 0)
      await new Promise((r) => setTimeout(r, 20));
    const accepted = await acceptClone(t.all, admin, t.namespaceId, {
      namespaceName: "graph",
      includeWebhooks: false,
    });
    if (!accepted.ok) throw new Error(accepted.error.message);
    await t.all.cloneRuns.settled();
    const cloneId = accepted.value.namespace.id;
    const copy = cloneIdOf(
      "collection",
      { namespaceId: cloneId, organizationId: t.organizationId },
      collection.id,
    );
    expect(await hotIndexing(t, copy)).toEqual([{ vectors: 300, pending: 0 }]);
    for (const query of [
      [1, 3, 1, 0.2],
      [1, -8, -2, 0.9],
    ]) {
      const found = async (namespaceId: string) => {
        const hits = await searchDocuments(t.all, admin, namespaceId, {
          collectionIdentifiers: ["items"],
          featureUri: TEST_FEATURE_URI,
          vector: query,
          topK: 10,
          includeCold: false,
        });
        if (!hits.ok) throw new Error(hits.error.message);
        return hits.value.hits.map((h) => [h.document.document_id, h.score.toFixed(5), h.document.metadata]);
      };
      expect(await found(cloneId)).toEqual(await found(t.namespaceId));
    }
  });

  it("holds each document in the tier the source held it, with its lineage, and answers the same searches and cold reads", async () => {
    const s = await fourTiers();
    const accepted = await cloneNamed(s, "branch");
    await s.t.all.cloneRuns.settled();
    const cloneId = accepted.namespace.id;
    const status = await cloneStatus(s.t.all, s.admin, cloneId);
    expect(status.ok && status.value.status).toBe("ready");
    expect(status.ok && status.value.progress).toMatchObject({
      documents: 8,
      hot_vectors: 3,
      warm_documents: 2,
      warm_vectors: 2,
      cold_documents: 2,
      cold_vectors: 2,
    });
    const cloneCollection = clonedCollectionId(s, cloneId);
    for (const [id, tier] of Object.entries(PLACEMENT)) {
      const source = await getDocument(s.t.all, s.admin, s.t.namespaceId, "items", id);
      const copy = await getDocument(s.t.all, s.admin, cloneId, "items", id);
      if (!source.ok || !copy.ok) throw new Error(`no ${id}`);
      expect(copy.value.tier, id).toBe(tier);
      expect(copy.value.tier_lineage, id).toEqual(source.value.tier_lineage);
      expect(await vectorOf(s.t, cloneCollection, id, tier), id).toEqual(
        await vectorOf(s.t, s.collection.id, id, tier),
      );
    }
    expect(await vectorOf(s.t, cloneCollection, "d5", "archive")).toEqual([]);
    for (const query of [
      [1, 2, 0, 0.5],
      [1, 4, -1, 0.5],
      [-1, 0, 1, 0],
    ]) {
      const hotAndWarm = await searchIn(s.t, s.t.namespaceId, query, false);
      expect(hotAndWarm.map(([, tier]) => tier).sort()).toEqual(["hot", "hot", "hot", "warm", "warm"]);
      expect(await searchIn(s.t, cloneId, query, false)).toEqual(hotAndWarm);
      expect(await searchIn(s.t, cloneId, query, true)).toEqual(
        await searchIn(s.t, s.t.namespaceId, query, true),
      );
    }
  });

  it("never shows a move of either side on the other, nor a move sent while the copy runs", async () => {
    const s = await fourTiers();
    const accepted = await cloneNamed(s, "branch");
    // Sent after the clone was accepted: it waits for the copy's turns and lands in the source only.
    await move(s.t, s.t.namespaceId, s.collection.id, ["d1"], "cold");
    await s.t.all.cloneRuns.settled();
    const cloneId = accepted.namespace.id;
    const cloneCollection = clonedCollectionId(s, cloneId);
    expect(await tierOf(s.t, cloneId, "d1")).toBe("warm");
    expect(await vectorOf(s.t, cloneCollection, "d1", "warm")).toHaveLength(1);
    expect(await vectorOf(s.t, cloneCollection, "d1", "cold")).toEqual([]);
    expect(await tierOf(s.t, s.t.namespaceId, "d1")).toBe("cold");

    await move(s.t, cloneId, cloneCollection, ["d3", "d2"], "hot");
    await move(s.t, s.t.namespaceId, s.collection.id, ["d4"], "warm");
    await move(s.t, s.t.namespaceId, s.collection.id, ["d0"], "cold");
    expect([await tierOf(s.t, cloneId, "d3"), await tierOf(s.t, s.t.namespaceId, "d3")]).toEqual([
      "hot",
      "cold",
    ]);
    expect([await tierOf(s.t, cloneId, "d2"), await tierOf(s.t, s.t.namespaceId, "d2")]).toEqual([
      "hot",
      "warm",
    ]);
    expect([await tierOf(s.t, cloneId, "d4"), await tierOf(s.t, s.t.namespaceId, "d4")]).toEqual([
      "cold",
      "warm",
    ]);
    expect([await tierOf(s.t, cloneId, "d0"), await tierOf(s.t, s.t.namespaceId, "d0")]).toEqual([
      "hot",
      "cold",
    ]);
    // Each side's copies are where its own pointers say, and only there.
    expect(await vectorOf(s.t, s.collection.id, "d3", "cold")).toHaveLength(1);
    expect(await vectorOf(s.t, s.collection.id, "d2", "warm")).toHaveLength(1);
    expect(await vectorOf(s.t, cloneCollection, "d4", "cold")).toHaveLength(1);
    expect(await vectorOf(s.t, cloneCollection, "d4", "warm")).toEqual([]);
    expect(await vectorOf(s.t, cloneCollection, "d0", "hot")).toHaveLength(1);
    expect(await vectorOf(s.t, cloneCollection, "d0", "cold")).toEqual([]);
  });

  it("a copy that fails after every tier's step leaves no orphan in the store, the hot index or the object store", async () => {
    const s = await fourTiers();
    const keysBefore = await s.t.objectKeys();
    // Warm segments and cold objects of the source are there to be copied (and must stay).
    expect(keysBefore.filter((k) => k.startsWith("tiers/warm/")).length).toBeGreaterThan(0);
    expect(keysBefore.filter((k) => k.startsWith("tiers/cold/")).length).toBeGreaterThan(0);
    const steps = s.t.all.cloneSteps as CloneStep[];
    steps.push(async () =>
      ok(async () => {
        throw new Error("disk on fire");
      }),
    );
    const accepted = await cloneNamed(s, "branch");
    await s.t.all.cloneRuns.settled();
    steps.pop();
    const cloneId = accepted.namespace.id;
    const status = await cloneStatus(s.t.all, s.admin, cloneId);
    expect(status.ok && [status.value.status, status.value.reason]).toEqual(["failed", "disk on fire"]);
    const store = s.t.all.store;
    expect(await store.table(NAMESPACES_TABLE).get(cloneId)).toBeUndefined();
    for (const table of [COLLECTIONS_TABLE, DOCUMENTS_TABLE, DOCUMENT_LABELS_TABLE])
      expect(await store.table(table).count({ namespace_id: cloneId }), table).toBe(0);
    // Every key of the object store (buckets, warm segments, cold objects) is one the source had.
    expect(await s.t.objectKeys()).toEqual(keysBefore);
    const cloneCollection: CollectionRecord = {
      ...s.collection,
      id: clonedCollectionId(s, cloneId),
      namespace_id: cloneId,
    };
    for (const tier of ["hot", "warm", "cold"] as const) {
      const left = await s.t.all.tiers[tier].read(cloneCollection, Object.keys(PLACEMENT));
      expect(left.ok && left.value, tier).toEqual([]);
    }
    const staged = await s.t.all.vectors.inDoubt();
    expect(staged.ok && staged.value).toEqual([]);
    // The source kept every tier's copy.
    for (const [id, tier] of Object.entries(PLACEMENT))
      if (tier !== "archive") expect(await vectorOf(s.t, s.collection.id, id, tier), id).toHaveLength(1);
  });
});
