import { randomUUID } from "node:crypto";
import {
  consumerObserverOf,
  type NatsConnection,
  type RunningService,
  runningGrpcService,
  type ServiceStartDeps,
  startServiceGrpcServer,
  startServiceRuntime,
} from "@strata/service-kit";
import { connectNamespaceDirectory, connectTierMover } from "./adapters/grpc/namespace-clients.js";
import { pricesOf, storeLocationOf, type TierMigratorConfig } from "./config.js";
import {
  startAccessConsumer,
  startCreatedConsumer,
  startDeletedConsumer,
  startMigratedConsumer,
} from "./consumers/document-events.js";
import { every } from "./consumers/every.js";
import { startNamespaceClonedConsumer } from "./consumers/namespace-cloned.js";
import { startNamespaceDeletedConsumer } from "./consumers/namespace-deleted.js";
import { AccessAggregator } from "./domain/access-aggregator.js";
import type { Clock, NamespaceDirectory, TieringPorts, TierMover } from "./domain/ports.js";
import { promoteColdReads } from "./domain/promote-cold-reads.js";
import { SweepRunner } from "./domain/sweep-runner.js";
import { TIERING_TABLE_SPECS } from "./domain/tables.js";
import { tieringGrpcServices } from "./server.js";

export type { NatsConnection };

export interface TierMigratorDeps extends ServiceStartDeps<TierMigratorConfig> {
  /** Policy time; tests move it to cover weeks in seconds. Defaults to the system clock. */
  readonly clock?: Clock;
  /** The TierService to drive; default the namespace service's, over gRPC at NAMESPACE_GRPC_URL. */
  readonly mover?: TierMover;
}

export interface RunningTierMigrator extends RunningService {
  readonly grpcAddress: string;
  /** Writes the access counts gathered so far and promotes cold documents read directly (tests). */
  flushAccesses(): Promise<void>;
  /** document.accessed events whose counts have been taken in (gathered, or found to need nothing) (tests). */
  accessEventsAdded(): number;
  /** One scheduled sweep pass now, waiting for the sweeps it starts (tests). */
  sweepNow(): Promise<void>;
  /** Waits until no sweep runs in this replica (tests). */
  sweepsIdle(): Promise<void>;
}

export async function startTierMigrator(deps: TierMigratorDeps): Promise<RunningTierMigrator> {
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    storeReentryCheck: config.STRATA_STORE_REENTRY_CHECK,
    tableSpecs: TIERING_TABLE_SPECS,
    nc,
    logger,
    metrics: deps.metrics,
  });
  const observer = consumerObserverOf(deps.metrics);
  const clientOptions = {
    address: config.NAMESPACE_GRPC_URL,
    internalToken: config.STRATA_INTERNAL_TOKEN,
    localCalls: deps.localCalls,
  };
  const ownMover = deps.mover === undefined ? connectTierMover(clientOptions) : undefined;
  const directory: NamespaceDirectory & { close(): void } = connectNamespaceDirectory(clientOptions);
  try {
    const ports: TieringPorts = {
      store: runtime.store,
      clock: deps.clock ?? (() => new Date()),
      mover: deps.mover ?? (ownMover as TierMover),
      directory,
      settings: {
        warmBackend: config.STRATA_WARM_BACKEND,
        prices: pricesOf(config),
        batchSize: config.TIER_MOVE_BATCH,
        docsPerSecond: config.TIER_MOVE_RATE,
        leaseMs: config.TIER_SWEEP_LEASE,
        replicaId: `tier-migrator-${randomUUID()}`,
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    const runner = new SweepRunner(ports, {
      maxMovesPerSweep: config.TIER_MAX_MOVES_PER_SWEEP,
      reconcileEveryMs: config.TIER_RECONCILE_INTERVAL,
      onError: (error, namespaceId) =>
        logger.warn({ err: error, namespace_id: namespaceId }, "tier sweep failed; the next one resumes it"),
    });
    const aggregator = new AccessAggregator(runtime.store, ports.clock);
    const flushAccesses = async () => {
      const coldReads = await aggregator.flush();
      if (coldReads.length > 0) await promoteColdReads(ports, coldReads);
    };
    const server = await startServiceGrpcServer(deps, {
      serviceName: "tier-migrator",
      host: config.TIER_MIGRATOR_GRPC_HOST,
      port: config.TIER_MIGRATOR_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      services: tieringGrpcServices(ports, runner),
    });
    const consumerDeps = { nc, ports, logger, ackWaitMs: 30_000, ...observer };
    const consumers = [
      await startAccessConsumer({ ...consumerDeps, aggregator }),
      await startCreatedConsumer(consumerDeps),
      await startDeletedConsumer(consumerDeps),
      await startMigratedConsumer(consumerDeps),
      await startNamespaceDeletedConsumer({ nc, ports, logger, ...observer }),
      await startNamespaceClonedConsumer({ nc, ports, logger, ...observer }),
    ];
    const flusher = every({
      intervalMs: config.TIER_ACCESS_FLUSH_INTERVAL,
      logger,
      what: "access statistics flush",
      work: flushAccesses,
    });
    // At start too: a job a crash left running resumes without waiting an interval.
    const scheduler = every({
      intervalMs: config.TIER_SWEEP_INTERVAL,
      logger,
      what: "scheduled tier sweep",
      now: true,
      work: () => runner.tick(),
    });
    const running = runningGrpcService({
      name: "tier-migrator",
      server,
      runtime,
      // Intake first, then the last counts are written, then sweeps stop between batches, then the store.
      stop: async () => {
        for (const consumer of consumers) await consumer.stop();
        await flusher.stop();
        await flushAccesses().catch((error: unknown) =>
          logger.warn({ err: error }, "last access statistics flush failed"),
        );
        await scheduler.stop();
        await runner.stop();
        await runtime.stop(server);
        ownMover?.close();
        directory.close();
      },
    });
    return {
      ...running,
      flushAccesses,
      accessEventsAdded: () => aggregator.added,
      sweepNow: async () => {
        await runner.tick();
        await runner.idle();
      },
      sweepsIdle: () => runner.idle(),
    };
  } catch (exception: unknown) {
    ownMover?.close();
    directory.close();
    await runtime.abort();
    throw exception;
  }
}
