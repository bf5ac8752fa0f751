// Helpers for this package's service tests only; not exported from index.ts.
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { connectNats } from "@strata/bus";
import { type Env, loadConfig } from "@strata/config";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { buildEvent, type EventEnvelope } from "@strata/events";
import { clientInterceptors, type RunningGrpcServer } from "@strata/grpc";
import { newId } from "@strata/ids";
import { createLogger } from "@strata/logger";
import { tieringV1 } from "@strata/proto";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { tierMigratorConfigSchema } from "../config.js";
import { type NatsConnection, type RunningTierMigrator, startTierMigrator } from "../start.js";
import { InMemoryNamespace } from "./in-memory-namespace.js";

export const INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";
export const DAY_MS = 86_400_000;

/** Sweeps and flushes only when the test asks (long intervals); moves unthrottled. */
export function testEnv(natsUrl: string, dataDir: string, namespaceUrl: string, overrides: Env = {}): Env {
  return {
    TIER_MIGRATOR_GRPC_PORT: "0",
    STRATA_METRICS_PORT: "0",
    STRATA_DATA_DIR: dataDir,
    NATS_URL: natsUrl,
    STRATA_INTERNAL_TOKEN: INTERNAL_TOKEN,
    LOG_LEVEL: "silent",
    // The store throws on reentry instead of deadlocking (off in production, ADR 0043).
    STRATA_STORE_REENTRY_CHECK: "true",
    NAMESPACE_GRPC_URL: namespaceUrl,
    TIER_SWEEP_INTERVAL: "1h",
    TIER_ACCESS_FLUSH_INTERVAL: "1h",
    TIER_MOVE_RATE: "100000",
    TIER_SWEEP_LEASE: "5s",
    ...overrides,
  };
}

/** A clock the test moves forward. */
export class TestClock {
  constructor(private at = Date.now()) {}
  readonly now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

export interface MigratorHarness {
  readonly nats: NatsServerHandle;
  readonly nc: NatsConnection;
  readonly dir: TempDir;
  readonly namespace: InMemoryNamespace;
  readonly namespaceServer: RunningGrpcServer;
  readonly clock: TestClock;
  service: RunningTierMigrator;
  client: tieringV1.TieringServiceClient;
  /** The service's SQLite store, opened alongside it (to look at rows). */
  openStore(): Promise<DocStore>;
  close(): Promise<void>;
}

export async function startMigratorHarness(overrides: Env = {}): Promise<MigratorHarness> {
  const nats = await startNatsServer();
  const nc = await connectNats({ servers: nats.url, name: "tier-migrator-int-test" });
  const dir = await tempDir("tier-migrator-int");
  const namespace = new InMemoryNamespace();
  const namespaceServer = await namespace.serve(INTERNAL_TOKEN);
  const clock = new TestClock();
  const env = testEnv(nats.url, dir.path, namespaceServer.address, overrides);
  const config = loadConfig(tierMigratorConfigSchema, env);
  const logger = createLogger({ service: "tier-migrator-test", level: "silent" });
  const service = await startTierMigrator({ config, logger, nc, clock: clock.now });
  const harness: MigratorHarness = {
    nats,
    nc,
    dir,
    namespace,
    namespaceServer,
    clock,
    service,
    client: connectClient(service.grpcAddress),
    openStore: async () => openSqliteDocStore({ path: join(dir.path, "tiering.db") }),
    async close() {
      harness.client.close();
      await harness.service.stop();
      await namespaceServer.shutdown(0);
      await nc.close();
      await nats.stop();
      await dir.remove();
    },
  };
  return harness;
}

export function connectClient(address: string): tieringV1.TieringServiceClient {
  return new tieringV1.TieringServiceClient(address, grpc.credentials.createInsecure(), {
    interceptors: clientInterceptors({ internalToken: INTERNAL_TOKEN }),
  });
}

export function adminOf(organizationId: string, namespaces: string[] = []): Caller {
  return {
    organizationId,
    keyId: newId("apiKey"),
    permissions: ["admin"],
    namespaces,
    roles: [],
    attributes: {},
  };
}

export function readerOf(organizationId: string): Caller {
  return { ...adminOf(organizationId), permissions: ["read"] };
}

/** A namespace event as the namespace service would publish it. */
export function namespaceEvent<T extends "document.created" | "document.accessed" | "namespace.deleted">(
  type: T,
  organizationId: string,
  namespaceId: string,
  data: EventEnvelope<T>["data"],
  time = new Date(),
): EventEnvelope<T> {
  return buildEvent(
    type,
    { service: "namespace", organizationId, namespaceId, subject: namespaceId, time },
    data,
  );
}

export { eventually, publishEvents } from "@strata/service-kit/testing";
