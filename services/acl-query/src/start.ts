import { processOnce } from "@strata/bus";
import { type LocalServices, startGrpcServer } from "@strata/grpc";
import type { Logger } from "@strata/logger";
import {
  type NatsConnection,
  type RunningService,
  type ServiceMetrics,
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

export interface AclQueryServiceDeps {
  readonly config: AclQueryConfig;
  readonly logger: Logger;
  readonly nc: NatsConnection;
  /** Tests move time; defaults to the system clock. */
  readonly clock?: () => Date;
  /** The launcher's registry of this process's servers (ADR 0010); none: every call over gRPC. */
  readonly localCalls?: LocalServices;
  /** The launcher's metrics for this service; none: nothing is measured. */
  readonly metrics?: ServiceMetrics;
}

export interface RunningAclQueryService extends RunningService {
  readonly grpcAddress: string;
}

export async function startAclQueryService(deps: AclQueryServiceDeps): Promise<RunningAclQueryService> {
  // The caller names the service in its logger (main: createLogger({service}); launcher: a child).
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    tableSpecs: ACL_QUERY_TABLE_SPECS,
    // The document.created consumer marks each event in the inbox, with the alerts it appends.
    inbox: true,
    nc,
    logger,
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
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
    const server = await startGrpcServer({
      serviceName: "acl-query",
      host: config.ACL_QUERY_GRPC_HOST,
      port: config.ACL_QUERY_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      logger,
      services: aclQueryGrpcServices(ports, visibility),
      localCalls: deps.localCalls,
      ...(deps.metrics === undefined ? {} : { callObserver: deps.metrics.grpc }),
    });
    const observer = deps.metrics === undefined ? {} : { observer: deps.metrics.consumers };
    const consumers = [
      await startDocumentCreatedConsumer({ nc, ports, logger, ...observer }),
      await startNamespaceDeletedConsumer({ nc, ports, logger, ...observer }),
      await startNamespaceClonedConsumer({ nc, ports, logger, ...observer }),
      await startAclInvalidation({ nc, cache: visibility, logger, ...observer }),
      ...(await startPrincipalChangedConsumers({ nc, ports, logger, ...observer })),
    ];
    let stopped: Promise<void> | undefined;
    return {
      name: "acl-query",
      grpcAddress: server.address,
      ready: runtime.ready,
      readiness: runtime.readiness,
      stop: () => {
        // The consumers first: an evaluation in progress commits its events before the store closes.
        stopped ??= Promise.all(consumers.map((c) => c.stop()))
          .then(() => runtime.stop(server))
          .finally(() => namespaceData.close());
        return stopped;
      },
    };
  } catch (exception: unknown) {
    namespaceData.close();
    await runtime.abort();
    throw exception;
  }
}
