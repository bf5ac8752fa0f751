import { parseEvent } from "@strata/events";
import { describe, expect, it } from "vitest";
import { callerOf } from "../../shared/test-support.js";
import { DOCUMENTS_TABLE, type DocumentRecord, type Tier } from "../documents/tables.js";
import { vectorChecksum } from "./checksum.js";
import { reconcileMoves } from "./reconcile-moves.js";
import { listTierPlacements } from "./tier-placements.js";
import { tierStats } from "./tier-stats.js";
import { tierWorld, VEC } from "./tier-test-support.js";

const outcomes = (results: readonly { outcome: string }[]) => results.map((r) => r.outcome);

describe("moveDocuments", () => {
  it("moves documents between every pair of tiers, their vectors byte for byte, and archives them", async () => {
    const w = await tierWorld(6);
    const ids = [...w.vectors.keys()];
    const path: Tier[] = ["warm", "cold", "hot", "cold", "warm", "hot"];
    for (const to of path) {
      expect(outcomes(await w.move(ids, to))).toEqual(ids.map(() => "moved"));
      for (const id of ids) {
        expect(await w.tierOf(id)).toBe(to);
        const features = (await w.featuresOf(id)).map((f) => ({ ...f, vector: Float32Array.from(f.vector) }));
        expect(vectorChecksum(features)).toBe(
          vectorChecksum([{ feature_uri: VEC, vector: Float32Array.from(w.vectors.get(id) ?? []) }]),
        );
      }
      // The source tiers no longer hold them: only the pointer's tier does.
      for (const tier of ["hot", "warm", "cold"] as const) {
        const held = await w.t.ports.tiers[tier].read(w.collection, ids);
        expect(held.ok && held.value.length).toBe(tier === to ? ids.length : 0);
      }
    }
    expect(outcomes(await w.move(ids.slice(0, 2), "archive"))).toEqual(["moved", "moved"]);
    expect(await w.featuresOf("d0")).toEqual([]);
    for (const tier of ["hot", "warm", "cold"] as const) {
      const held = await w.t.ports.tiers[tier].read(w.collection, ["d0", "d1"]);
      expect(held.ok && held.value.length).toBe(0);
    }
    const back = await w.move(["d0"], "hot");
    expect(outcomes(back)).toEqual(["refused"]);
    expect(back[0]?.message).toMatch(/archived/);
  });

  it("records each move in the lineage and one tier.migrated event per call", async () => {
    const w = await tierWorld(3);
    const before = (await w.t.events()).length;
    await w.move(["d0", "d1"], "warm");
    await w.move(["d0"], "cold");
    const events = (await w.t.events()).slice(before).filter((e) => e.type === "tier.migrated");
    expect(events).toHaveLength(2);
    for (const event of events) expect(parseEvent(JSON.stringify(event))).toMatchObject({ ok: true });
    expect(events[0]?.data).toMatchObject({
      reason: "manual",
      moves: [
        { collection_id: w.collection.id, document_id: "d0", from_tier: "hot", to_tier: "warm" },
        { collection_id: w.collection.id, document_id: "d1", from_tier: "hot", to_tier: "warm" },
      ],
    });
    const doc = await w.t.ports.store.table<DocumentRecord>(DOCUMENTS_TABLE).get(`${w.collection.id}/d0`);
    expect(doc?.record.tier_lineage).toMatchObject({
      origin: { tier: "hot" },
      moves: [
        { from: "hot", to: "warm", reason: "manual" },
        { from: "warm", to: "cold", reason: "manual" },
      ],
      move_count: 2,
    });
  });

  it("is idempotent and honours the expected tier", async () => {
    const w = await tierWorld(2);
    expect(outcomes(await w.move(["d0"], "warm"))).toEqual(["moved"]);
    const again = await w.move(["d0"], "warm");
    expect(outcomes(again)).toEqual(["unchanged"]);
    expect(again[0]?.fromTier).toBe("warm");
    expect(outcomes(await w.move(["d1"], "cold", { expectedTier: "warm" }))).toEqual(["conflict"]);
    expect(await w.tierOf("d1")).toBe("hot");
    expect(outcomes(await w.move(["nope", "d1", "d1"], "cold"))).toEqual(["not_found", "moved", "conflict"]);
  });

  it("refuses a tier that cannot hold the metric (S3 Vectors holds no dot product)", async () => {
    const w = await tierWorld(0);
    // The embedded warm index holds every metric; an S3 Vectors warm tier says no to dot.
    const tiers = w.t.ports.tiers as { warm: typeof w.t.ports.tiers.warm };
    tiers.warm = { ...tiers.warm, holds: (metric) => metric !== "dot" };
    const { createCollection } = await import("../collections/create-collection.js");
    const { createDocument } = await import("../documents/create-document.js");
    const admin = callerOf(w.t.organizationId);
    const made = await createCollection(w.t.ports, admin, w.t.namespaceId, {
      collectionName: "dots",
      description: "",
      features: [{ featureUri: VEC, dimensions: 2, metric: "dot" }],
      metadataSchema: undefined,
      indexedFields: [],
    });
    if (!made.ok) throw new Error(made.error.message);
    await createDocument(w.t.ports, admin, w.t.namespaceId, "dots", {
      documentId: "x",
      taxonomyLabels: [],
      features: { [VEC]: [1, 2] },
    });
    const { moveDocuments } = await import("./move-documents.js");
    const moved = await moveDocuments(
      w.t.ports,
      admin,
      w.t.namespaceId,
      [
        { collectionId: made.value.id, documentId: "x", targetTier: "warm" },
        { collectionId: made.value.id, documentId: "x", targetTier: "cold" },
      ],
      "policy",
    );
    expect(moved.ok && outcomes(moved.value)).toEqual(["refused", "conflict"]);
  });

  it("answers documents and vector bytes per tier per collection, and pages through placements", async () => {
    const w = await tierWorld(5);
    await w.move(["d0", "d1"], "warm");
    await w.move(["d2"], "cold");
    await w.move(["d3"], "archive");
    const admin = callerOf(w.t.organizationId);
    const stats = await tierStats(w.t.ports, admin, w.t.namespaceId);
    const byTier = Object.fromEntries(
      (stats.ok ? stats.value : []).map((s) => [s.tier, [s.documents, s.vectorBytes]]),
    );
    expect(byTier).toEqual({ hot: [1, 32], warm: [2, 64], cold: [1, 32], archive: [1, 0] });
    const first = await listTierPlacements(w.t.ports, admin, w.t.namespaceId, { pageSize: 3, pageToken: "" });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.placements).toHaveLength(3);
    const rest = await listTierPlacements(w.t.ports, admin, w.t.namespaceId, {
      pageSize: 3,
      pageToken: first.value.nextPageToken,
    });
    expect(rest.ok && rest.value.placements.length).toBe(2);
    const warm = await listTierPlacements(w.t.ports, admin, w.t.namespaceId, {
      tier: "warm",
      pageSize: 10,
      pageToken: "",
    });
    expect(warm.ok && warm.value.placements.map((p) => p.documentId).sort()).toEqual(["d0", "d1"]);
  });
});

describe("a move interrupted between its steps", () => {
  it("after the copy, before the pointer flips: the source stays the truth and reconcile drops the copy", async () => {
    const w = await tierWorld(3);
    const ports = w.t.ports;
    const appendEvent = ports.appendEvent;
    // The transaction that flips the pointers dies (as a crash would, before its commit).
    (ports as { appendEvent: typeof appendEvent }).appendEvent = async () => {
      throw new Error("crash");
    };
    await expect(w.move(["d0", "d1"], "warm")).rejects.toThrow("crash");
    (ports as { appendEvent: typeof appendEvent }).appendEvent = appendEvent;
    expect(await w.tierOf("d0")).toBe("hot");
    const orphans = await ports.tiers.warm.read(w.collection, ["d0", "d1"]);
    expect(orphans.ok && orphans.value.length).toBe(2);
    const reconciled = await reconcileMoves(ports);
    expect(reconciled.ok && reconciled.value).toEqual({ journals: 1, removed: 2 });
    const after = await ports.tiers.warm.read(w.collection, ["d0", "d1"]);
    expect(after.ok && after.value.length).toBe(0);
    expect((await w.featuresOf("d0")).length).toBe(1);
    // Re-running the move finishes it.
    expect(outcomes(await w.move(["d0", "d1"], "warm"))).toEqual(["moved", "moved"]);
  });

  it("after the pointer flips, before the source delete: the target is the truth and reconcile drops the source", async () => {
    const w = await tierWorld(2);
    const tiers = w.t.ports.tiers as { hot: typeof w.t.ports.tiers.hot };
    const hot = tiers.hot;
    tiers.hot = {
      ...hot,
      remove: async () => ({ ok: false, error: { kind: "unavailable", message: "crash" } }) as never,
    };
    expect(outcomes(await w.move(["d0"], "cold"))).toEqual(["moved"]);
    tiers.hot = hot;
    expect(await w.tierOf("d0")).toBe("cold");
    const orphan = await hot.read(w.collection, ["d0"]);
    expect(orphan.ok && orphan.value.length).toBe(1);
    const reconciled = await reconcileMoves(w.t.ports);
    expect(reconciled.ok && reconciled.value.journals).toBe(1);
    const gone = await hot.read(w.collection, ["d0"]);
    expect(gone.ok && gone.value.length).toBe(0);
    expect((await w.featuresOf("d0")).length).toBe(1);
  });

  it("a copy that does not verify fails the move and leaves the document where it was", async () => {
    const w = await tierWorld(2);
    const tiers = w.t.ports.tiers as { warm: typeof w.t.ports.tiers.warm };
    const warm = tiers.warm;
    // A tier that corrupts what it stores: the read-back checksum catches it.
    tiers.warm = {
      ...warm,
      write: (collection, entries) =>
        warm.write(
          collection,
          entries.map((e) => ({
            ...e,
            vectors: e.vectors.map((v) => ({ ...v, vector: v.vector.map((x) => x + 1) })),
          })),
        ),
    };
    const moved = await w.move(["d0"], "warm");
    tiers.warm = warm;
    expect(outcomes(moved)).toEqual(["failed"]);
    expect(moved[0]?.message).toMatch(/checksum/);
    expect(await w.tierOf("d0")).toBe("hot");
    const left = await warm.read(w.collection, ["d0"]);
    expect(left.ok && left.value.length).toBe(0);
  });
});
