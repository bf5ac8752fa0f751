import { randomUUID } from "node:crypto";
import {
  connectNamespaceExistence,
  consumerObserverOf,
  type NatsConnection,
  type RunningService,
  runningGrpcService,
  type ServiceStartDeps,
  startServiceGrpcServer,
  startServiceRuntime,
} from "@strata/service-kit";
import { connectOwningServices } from "./adapters/grpc/owning-services.js";
import { parseManifestDocument } from "./adapters/parse/document-parser.js";
import { type ManifestConfig, storeLocationOf } from "./config.js";
import { startNamespaceDeletedConsumer } from "./consumers/namespace-deleted.js";
import { type ManifestPorts, runStepsDirectly, type StepRunner } from "./domain/ports.js";
import { MANIFEST_TABLE_SPECS } from "./domain/tables.js";
import { resourceKinds } from "./kinds/registry.js";
import { manifestGrpcServices } from "./server.js";

export type { NatsConnection };

export interface ManifestDeps extends ServiceStartDeps<ManifestConfig> {
  /** Runs each apply step; tests inject failures here. Default: run it. */
  readonly runStep?: StepRunner;
}

export interface RunningManifest extends RunningService {
  readonly grpcAddress: string;
}

export async function startManifest(deps: ManifestDeps): Promise<RunningManifest> {
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    storeReentryCheck: config.STRATA_STORE_REENTRY_CHECK,
    tableSpecs: MANIFEST_TABLE_SPECS,
    nc,
    logger,
    metrics: deps.metrics,
  });
  const services = connectOwningServices({
    namespaceAddress: config.NAMESPACE_GRPC_URL,
    aclQueryAddress: config.ACL_QUERY_GRPC_URL,
    webhookAddress: config.WEBHOOK_GRPC_URL,
    tieringAddress: config.TIER_MIGRATOR_GRPC_URL,
    internalToken: config.STRATA_INTERNAL_TOKEN,
    deadlineMs: config.MANIFEST_GRPC_DEADLINE,
    ...(deps.localCalls === undefined ? {} : { localCalls: deps.localCalls }),
  });
  try {
    const ports: ManifestPorts = {
      store: runtime.store,
      appendEvent: runtime.appendEvent,
      eventsCommitted: runtime.eventsCommitted,
      clock: deps.clock ?? (() => new Date()),
      kinds: resourceKinds(services),
      parse: parseManifestDocument,
      runStep: deps.runStep ?? runStepsDirectly,
      holder: `manifest-${randomUUID()}`,
      leaseMs: config.MANIFEST_APPLY_LEASE,
      lockWaitMs: config.MANIFEST_APPLY_LOCK_WAIT,
      stepConcurrency: config.MANIFEST_APPLY_CONCURRENCY,
      createBatchSize: config.MANIFEST_CREATE_BATCH,
    };
    const server = await startServiceGrpcServer(deps, {
      serviceName: "manifest",
      host: config.MANIFEST_GRPC_HOST,
      port: config.MANIFEST_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      services: manifestGrpcServices(ports),
    });
    const namespaces = connectNamespaceExistence({
      service: "manifest",
      address: config.NAMESPACE_GRPC_URL,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      localCalls: deps.localCalls,
    });
    const namespaceDeleted = await startNamespaceDeletedConsumer({
      nc,
      ports,
      namespaceIsLive: (organizationId, namespaceId) => namespaces.isLive(organizationId, namespaceId),
      logger,
      ...consumerObserverOf(deps.metrics),
    });
    return runningGrpcService({
      name: "manifest",
      server,
      runtime,
      stop: async () => {
        await namespaceDeleted.stop();
        await runtime.stop(server);
        services.close();
        namespaces.close();
      },
    });
  } catch (exception: unknown) {
    services.close();
    await runtime.abort();
    throw exception;
  }
}
