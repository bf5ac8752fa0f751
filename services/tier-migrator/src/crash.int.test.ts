// The reliability test: tier-migrator in its own process drives the policy's moves of
// 10,000 documents and is SIGKILLed at random points at least three times; restarted, it resumes
// its jobs. Afterwards every document is in exactly one tier, its vector bytes unchanged, no
// document was moved more often than the policy asks, and no search during the run returned a
// document twice. The namespace side here is the in-memory TierService of testing/ (the real one
// is built in parallel; see the report): it keeps each tier's copies apart and moves step by step,
// yielding between the steps so searches run mid-move.

import { join } from "node:path";
import type { Caller } from "@strata/access";
import { openSqliteDocStore } from "@strata/docstore";
import { type RunningGrpcServer, resultClient } from "@strata/grpc";
import { newId } from "@strata/ids";
import { tieringV1 } from "@strata/proto";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICIES_TABLE, type PolicyRecord } from "./domain/tables.js";
import { launchMigrator, type MigratorProcess } from "./testing/child-process.js";
import { InMemoryNamespace, vectorChecksum } from "./testing/in-memory-namespace.js";
import {
  adminOf,
  connectClient,
  DAY_MS,
  eventually,
  INTERNAL_TOKEN,
  testEnv,
} from "./testing/service-harness.js";

const DOCUMENTS = 10_000;
const DIMENSIONS = 8;
const KILLS = 3;

describe("tier-migrator killed mid-sweep", () => {
  let nats: NatsServerHandle;
  let dir: TempDir;
  let namespaceServer: RunningGrpcServer;
  let current: MigratorProcess | undefined;
  const namespace = new InMemoryNamespace();

  beforeAll(async () => {
    nats = await startNatsServer();
    dir = await tempDir("tier-migrator-crash");
    namespaceServer = await namespace.serve(INTERNAL_TOKEN);
  });

  afterAll(async () => {
    await current?.kill("SIGKILL");
    await namespaceServer?.shutdown(0);
    await nats?.stop();
    await dir?.remove();
  });

  it("leaves every document in one tier with its vector intact, and no search sees one twice", async () => {
    const org = newId("organization");
    const namespaceId = namespace.addNamespace(org);
    const collectionId = namespace.addCollection(namespaceId);
    const createdAt = new Date(Date.now() - 10 * DAY_MS);
    const written = new Map<string, string>();
    for (let i = 0; i < DOCUMENTS; i++) {
      const vector = Float32Array.from({ length: DIMENSIONS }, () => Math.random() * 2 - 1);
      const doc = namespace.addDocument(namespaceId, collectionId, vector, createdAt);
      written.set(doc.documentId, vectorChecksum(vector));
    }
    // Moves yield between copy, pointer switch and delete, so searches land mid-move.
    namespace.onStep = () => new Promise((resolve) => setImmediate(resolve));
    const env = testEnv(nats.url, dir.path, namespaceServer.address, {
      TIER_SWEEP_INTERVAL: "300ms",
      TIER_SWEEP_LEASE: "1s",
      TIER_MOVE_BATCH: "100",
      TIER_MOVE_RATE: "5000",
    });
    const launch = async () => {
      current = await launchMigrator(env);
      return current;
    };
    const first = await launch();
    const caller: Caller = adminOf(org);
    const client = connectClient(first.grpcAddress);
    const api = resultClient(client, tieringV1.TieringServiceService, { service: "tier-migrator" });
    const set = await api.setPolicy(
      { namespaceId, policy: { hotToWarmAfterDays: 1, warmToColdAfterDays: 2, collectionIds: [] } },
      { caller },
    );
    client.close();
    expect(set.ok).toBe(true);
    // The policy counts reads from when it was set (ADR 0046); backdated three days, so that the
    // documents (created ten days ago) are due for both demotions now.
    const store = openSqliteDocStore({ path: join(dir.path, "tiering.db") });
    const stored = await store.table<PolicyRecord>(POLICIES_TABLE).get(namespaceId);
    if (stored === undefined) throw new Error("no policy stored");
    const since = new Date(Date.now() - 3 * DAY_MS).toISOString();
    const backdated = await store
      .table<PolicyRecord>(POLICIES_TABLE)
      .replace({ ...stored.record, accesses_counted_since: since }, stored.version);
    expect(backdated.ok).toBe(true);
    await store.close();

    let searches = 0;
    let duplicates = 0;
    let searching = true;
    const searcher = (async () => {
      while (searching) {
        const found = namespace.search(namespaceId);
        if (new Set(found).size !== found.length) duplicates++;
        searches++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    const movedSoFar = () => [...namespace.movesOf.values()].reduce((a, b) => a + b, 0);
    for (let kill = 0; kill < KILLS; kill++) {
      const before = movedSoFar();
      // Somewhere in the middle of a batch: after some moves happened since the last start.
      await eventually(
        () => (movedSoFar() > before + 50 + Math.floor(Math.random() * 1500) ? true : undefined),
        60_000,
      );
      await current?.kill("SIGKILL");
      await launch();
    }
    const cold = () => [...namespace.documents.values()].filter((d) => d.tier === "cold").length;
    await eventually(() => (cold() === DOCUMENTS ? true : undefined), 180_000);
    searching = false;
    await searcher;

    expect(movedSoFar()).toBeGreaterThan(0);
    expect(searches).toBeGreaterThan(KILLS);
    expect(duplicates).toBe(0);
    for (const doc of namespace.documents.values()) {
      const id = `${doc.namespaceId}/${doc.collectionId}/${doc.documentId}`;
      const holders = (["hot", "warm", "cold", "archive"] as const).filter((t) =>
        namespace.copies[t].has(id),
      );
      expect(holders, doc.documentId).toEqual(["cold"]);
      const vector = namespace.vectorOf(doc);
      expect(vector && vectorChecksum(vector), doc.documentId).toBe(written.get(doc.documentId));
      // hot → warm, then warm → cold: each move once, however often the sweep was killed.
      expect(namespace.movesOf.get(`${doc.collectionId}/${doc.documentId}`), doc.documentId).toBe(2);
    }
  }, 300_000);
});
