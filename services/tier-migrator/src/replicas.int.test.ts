import { connectNats } from "@strata/bus";
import { loadConfig } from "@strata/config";
import { resultClient } from "@strata/grpc";
import { newId } from "@strata/ids";
import { createLogger } from "@strata/logger";
import { tieringV1 } from "@strata/proto";
import { startNatsServer, tempDir } from "@strata/testkit";
import { describe, expect, it } from "vitest";
import { tierMigratorConfigSchema } from "./config.js";
import { startTierMigrator } from "./start.js";
import { InMemoryNamespace } from "./testing/in-memory-namespace.js";
import {
  adminOf,
  connectClient,
  DAY_MS,
  INTERNAL_TOKEN,
  TestClock,
  testEnv,
} from "./testing/service-harness.js";

describe("two replicas on one store", () => {
  it("never sweep a namespace at the same time: each document moves once", async () => {
    const nats = await startNatsServer();
    const dir = await tempDir("tier-migrator-replicas");
    const namespace = new InMemoryNamespace();
    const namespaceServer = await namespace.serve(INTERNAL_TOKEN);
    const org = newId("organization");
    const namespaceId = namespace.addNamespace(org);
    const collectionId = namespace.addCollection(namespaceId);
    const clock = new TestClock();
    for (let i = 0; i < 300; i++)
      namespace.addDocument(namespaceId, collectionId, Float32Array.from([i]), clock.now());
    // Slow moves, so both replicas are asked while the first sweep still runs.
    const config = loadConfig(
      tierMigratorConfigSchema,
      testEnv(nats.url, dir.path, namespaceServer.address, { TIER_MOVE_BATCH: "20", TIER_MOVE_RATE: "400" }),
    );
    const logger = createLogger({ service: "tier-migrator-test", level: "silent" });
    const replicas = await Promise.all(
      [1, 2].map(async () => {
        const nc = await connectNats({ servers: nats.url, name: "tier-migrator-replica" });
        const service = await startTierMigrator({ config, logger, nc, clock: clock.now });
        const client = connectClient(service.grpcAddress);
        return { nc, service, client, api: resultClient(client, tieringV1.TieringServiceService) };
      }),
    );
    try {
      const caller = adminOf(org);
      const [a, b] = replicas;
      if (a === undefined || b === undefined) throw new Error("no replicas");
      const set = await a.api.setPolicy(
        { namespaceId, policy: { hotToWarmAfterDays: 1, collectionIds: [] } },
        { caller },
      );
      expect(set.ok).toBe(true);
      // Idle for three days since the policy began counting reads (ADR 0046).
      clock.advance(3 * DAY_MS);
      const [runs] = await Promise.all([
        Promise.all([
          a.api.runSweep({ namespaceId }, { caller }),
          b.api.runSweep({ namespaceId }, { caller }),
        ]),
        a.service.sweepNow(),
        b.service.sweepNow(),
      ]);
      // One replica planned; the other answered that sweep, or that one was being planned.
      expect(runs.filter((r) => r.ok && r.value.started).length).toBeLessThanOrEqual(1);
      await Promise.all(replicas.map((r) => r.service.sweepsIdle()));
      await Promise.all(replicas.map((r) => r.service.sweepNow()));
      expect([...namespace.documents.values()].every((d) => d.tier === "warm")).toBe(true);
      expect([...namespace.movesOf.values()].every((n) => n === 1)).toBe(true);
      expect(namespace.movesOf.size).toBe(300);
    } finally {
      for (const r of replicas) {
        r.client.close();
        await r.service.stop();
        await r.nc.close();
      }
      await namespaceServer.shutdown(0);
      await nats.stop();
      await dir.remove();
    }
  }, 60_000);
});
