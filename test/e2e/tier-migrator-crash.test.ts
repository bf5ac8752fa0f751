import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { launchMigrator, type MigratorProcess } from "@strata/tier-migrator/testing/child-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, waitUntil } from "./harness.js";
import { killLaunchedPlatforms, launchPlatformProcess, type PlatformProcess } from "./platform-process.js";

/**
 * The reliability test against the real namespace service: tier-migrator in its own
 * process drives the policy's moves (hot → warm → cold) of 10,000 documents and is SIGKILLed at
 * random points three times; restarted, it resumes. Afterwards every document is in exactly one
 * tier (cold), its vectors are the float32 bytes written, and no search during the run returned a
 * document twice.
 */
const URI = "strata://test@v1/embedding";
// TIER_CRASH_DOCUMENTS only shrinks the run when diagnosing it; the test is the 10,000.
const DOCUMENTS = Number(process.env.TIER_CRASH_DOCUMENTS ?? 10_000);
const DIMENSIONS = 8;
const KILLS = 3;
const NS = "tiering-crash";

let nats: NatsServerHandle;
let platformDir: TempDir;
let migratorDir: TempDir;
let platform: PlatformProcess;
let migrator: MigratorProcess | undefined;
let key: string;
let migratorEnv: Record<string, string>;

beforeAll(async () => {
  nats = await startNatsServer();
  platformDir = await tempDir("strata-tier-crash-platform-");
  migratorDir = await tempDir("strata-tier-crash-migrator-");
  const internalToken = randomBytes(32).toString("hex");
  const [namespacePort, migratorPort] = [await freePort(), await freePort()];
  platform = await launchPlatformProcess({
    natsUrl: nats.url,
    internalToken,
    dataDir: platformDir.path,
    env: {
      STRATA_SERVICES: "auth,namespace,acl-query,webhook-dispatcher,manifest,gateway",
      NAMESPACE_GRPC_PORT: String(namespacePort),
      TIER_MIGRATOR_GRPC_URL: `127.0.0.1:${migratorPort}`,
    },
    // The machine is shared: a slow start is no failure of this test.
    startTimeoutMs: 180_000,
  });
  key = (JSON.parse(await readFile(join(platformDir.path, "bootstrap.json"), "utf8")) as { api_key: string })
    .api_key;
  migratorEnv = {
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: internalToken,
    STRATA_DATA_DIR: migratorDir.path,
    NAMESPACE_GRPC_URL: `127.0.0.1:${namespacePort}`,
    TIER_MIGRATOR_GRPC_PORT: String(migratorPort),
    STRATA_METRICS_PORT: "0",
    LOG_LEVEL: "warn",
    TIER_SWEEP_INTERVAL: "300ms",
    TIER_SWEEP_LEASE: "1s",
    TIER_MOVE_BATCH: "200",
    TIER_MOVE_RATE: "5000",
  };
}, 240_000);

afterAll(async () => {
  await migrator?.kill("SIGKILL");
  platform?.child.kill("SIGTERM");
  await platform?.exited;
  killLaunchedPlatforms();
  await nats?.stop();
  await platformDir?.remove();
  await migratorDir?.remove();
});

const checksum = (values: readonly number[]) =>
  createHash("sha256")
    .update(Buffer.from(Float32Array.from(values).buffer))
    .digest("hex");

interface TierStats {
  tiers: Array<{ tier: string; documents: number }>;
}

describe("tier-migrator killed mid-sweep, against the namespace service", () => {
  it("leaves every document in one tier with its vectors intact, and no search sees one twice", async () => {
    const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      callApi<T>(platform.url, method, path, { key, namespace: NS, ...(body === undefined ? {} : { body }) });
    expect(
      (await callApi(platform.url, "POST", "/v1/namespaces", { key, body: { namespace_name: NS } })).status,
    ).toBe(201);
    const made = await api<{ collection_id: string }>("POST", "/v1/collections", {
      collection_name: "items",
      features: [{ feature_uri: URI, dimensions: DIMENSIONS }],
    });
    expect(made.status).toBe(201);
    const collectionId = made.body.collection_id;
    const vectors = Array.from({ length: DOCUMENTS }, () =>
      Array.from(Float32Array.from({ length: DIMENSIONS }, () => Math.random() * 2 - 1)),
    );
    const accepted = await api<{ batch_id: string }>(
      "POST",
      `/v1/collections/${collectionId}/documents/batch`,
      {
        documents: vectors.map((v, n) => ({ document_id: `d${n}`, features: { [URI]: v } })),
      },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    await waitUntil(
      async () => (await api(`GET`, `/v1/batches/${accepted.body.batch_id}`)).body.status === "completed",
      180_000,
      250,
    );
    const retriever = await api("POST", "/v1/retrievers", {
      retriever_name: "all",
      collection_ids: ["items"],
      feature_uri: URI,
    });
    expect(retriever.status, JSON.stringify(retriever.body)).toBe(201);

    migrator = await launchMigrator(migratorEnv);
    // Fractions of a day: the documents qualify within a second of being written.
    const policy = await api("PUT", "/v1/tiering/policy", {
      hot_to_warm_after_days: 0.00001,
      warm_to_cold_after_days: 0.00002,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);

    let searches = 0;
    let duplicated = 0;
    let searching = true;
    const searcher = (async () => {
      while (searching) {
        const found = await api<{ results?: Array<{ document_id: string }> }>(
          "POST",
          "/v1/retrievers/all/execute",
          { query: { vector: vectors[searches % DOCUMENTS] }, top_k: 50 },
        );
        if (found.status === 200) {
          const ids = (found.body.results ?? []).map((r) => r.document_id);
          if (new Set(ids).size !== ids.length) duplicated++;
          searches++;
        }
      }
    })();

    const tierCounts = async () => {
      const stats = await api<TierStats>("GET", "/v1/tiering/stats");
      const counts = Object.fromEntries((stats.body.tiers ?? []).map((t) => [t.tier, t.documents]));
      if (process.env.TIER_CRASH_DOCUMENTS !== undefined) console.log(new Date().toISOString(), counts);
      return counts;
    };
    const moved = async () => {
      const counts = await tierCounts();
      return (counts.warm ?? 0) + 2 * (counts.cold ?? 0);
    };
    for (let kill = 0; kill < KILLS; kill++) {
      // Somewhere in the run, before its end (each document moves twice: hot → warm → cold).
      const target = Math.min((await moved()) + 200 + Math.floor(Math.random() * 2000), 2 * DOCUMENTS - 100);
      await waitUntil(async () => (await moved()) >= target, 120_000, 100);
      await migrator.kill("SIGKILL");
      migrator = await launchMigrator(migratorEnv);
    }
    try {
      await waitUntil(async () => (await tierCounts()).cold === DOCUMENTS, 600_000, 500);
    } finally {
      searching = false;
      await searcher;
    }
    // The figures come through tier-migrator (GET /v1/tiering/stats): read while it runs.
    expect(await tierCounts()).toMatchObject({ hot: 0, warm: 0, cold: DOCUMENTS, archive: 0 });
    // Stopped before the documents are read back: a read of a cold document would bring it back to hot.
    await migrator.kill("SIGTERM");
    migrator = undefined;

    expect(searches).toBeGreaterThan(KILLS);
    expect(duplicated).toBe(0);
    const mismatched: string[] = [];
    for (let start = 0; start < DOCUMENTS; start += 16) {
      await Promise.all(
        vectors.slice(start, start + 16).map(async (vector, i) => {
          const id = `d${start + i}`;
          const got = await api<{ tier: string; features?: Record<string, number[]> }>(
            "GET",
            `/v1/collections/${collectionId}/documents/${id}?include_features=true`,
          );
          const stored = got.body.features?.[URI];
          if (got.status !== 200 || stored === undefined || checksum(stored) !== checksum(vector))
            mismatched.push(id);
        }),
      );
    }
    expect(mismatched).toEqual([]);
  }, 900_000);
});
