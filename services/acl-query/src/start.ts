import { processOnce } from "@strata/bus";
import {
  consumerObserverOf,
  type NatsConnection,
  type RunningService,
  runningGrpcService,
  type ServiceStartDeps,
  startServiceGrpcServer,
  startServiceRuntime,
} from "@strata/service-kit";
import { connectNamespaceData } from "./adapters/grpc/namespace-data-client.js";
import { type AclQueryConfig, storeLocationOf } from "./config.js";
import { startAclInvalidation } from "./consumers/acl-invalidation.js";
import { startDocumentCreatedConsumer } from "./consumers/document-created.js";
import { startNamespaceClonedConsumer } from "./consumers/namespace-cloned.js";
import { startNamespaceDeletedConsumer } from "./consumers/namespace-deleted.js";
import { startPrincipalChangedConsumers } from "./consumers/principal-changed.js";
import { VisibilityCache } from "./domain/acl/visibility-cache.js";
import type { AclQueryPorts } from "./domain/ports.js";
import { ACL_QUERY_TABLE_SPECS } from "./domain/tables.js";
import { aclQueryGrpcServices } from "./server.js";

export type { NatsConnection };

export type AclQueryServiceDeps = ServiceStartDeps<AclQueryConfig>;

export interface RunningAclQueryService extends RunningService {
  readonly grpcAddress: string;
}

export async function startAclQueryService(deps: AclQueryServiceDeps): Promise<RunningAclQueryService> {
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    storeReentryCheck: config.STRATA_STORE_REENTRY_CHECK,
    tableSpecs: ACL_QUERY_TABLE_SPECS,
    // The document.created consumer marks each event in the inbox, with the alerts it appends.
    inbox: true,
    nc,
    logger,
    metrics: deps.metrics,
  });
  const namespaceData = connectNamespaceData({
    address: config.NAMESPACE_GRPC_URL,
    internalToken: config.STRATA_INTERNAL_TOKEN,
    deadlineMs: config.ACL_QUERY_GRPC_DEADLINE,
    localCalls: deps.localCalls,
  });
  const visibility = new VisibilityCache();
  try {
    const ports: AclQueryPorts = {
      store: runtime.store,
      appendEvent: runtime.appendEvent,
      eventsCommitted: runtime.eventsCommitted,
      clock: deps.clock ?? (() => new Date()),
      namespaceData,
      processOnce: (consumer, eventId, work) => processOnce(runtime.store, consumer, eventId, work),
    };
    const server = await startServiceGrpcServer(deps, {
      serviceName: "acl-query",
      host: config.ACL_QUERY_GRPC_HOST,
      port: config.ACL_QUERY_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      services: aclQueryGrpcServices(ports, visibility),
    });
    const observer = consumerObserverOf(deps.metrics);
    const consumers = [
      await startDocumentCreatedConsumer({ nc, ports, logger, ...observer }),
      await startNamespaceDeletedConsumer({ nc, ports, logger, ...observer }),
      await startNamespaceClonedConsumer({ nc, ports, logger, ...observer }),
      await startAclInvalidation({ nc, cache: visibility, logger, ...observer }),
      ...(await startPrincipalChangedConsumers({ nc, ports, logger, ...observer })),
    ];
    return runningGrpcService({
      name: "acl-query",
      server,
      runtime,
      // The consumers first: an evaluation in progress commits its events before the store closes.
      stop: () =>
        Promise.all(consumers.map((c) => c.stop()))
          .then(() => runtime.stop(server))
          .finally(() => namespaceData.close()),
    });
  } catch (exception: unknown) {
    namespaceData.close();
    await runtime.abort();
    throw exception;
  }
}
