import type { Logger } from "@strata/logger";
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
import { bootstrapFileSink } from "./adapters/bootstrap-file.js";
import { type AuthConfig, storeLocationOf } from "./config.js";
import { startNamespaceDeletedConsumer } from "./consumers/namespace-deleted.js";
import { bootstrapIfEmpty } from "./domain/bootstrap.js";
import type { AuthPorts } from "./domain/ports.js";
import { AUTH_TABLE_SPECS } from "./domain/tables.js";
import { authGrpcServices } from "./server.js";

export type { NatsConnection };

export type AuthServiceDeps = ServiceStartDeps<AuthConfig>;

export interface RunningAuthService extends RunningService {
  readonly grpcAddress: string;
  /** Set when this start created the first organization; the admin key is in `file` (never logged). */
  readonly bootstrap: { readonly organizationId: string; readonly file: string } | undefined;
}

export async function startAuthService(deps: AuthServiceDeps): Promise<RunningAuthService> {
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    storeReentryCheck: config.STRATA_STORE_REENTRY_CHECK,
    tableSpecs: AUTH_TABLE_SPECS,
    nc,
    logger,
    metrics: deps.metrics,
  });
  try {
    const ports: AuthPorts = {
      store: runtime.store,
      appendEvent: runtime.appendEvent,
      eventsCommitted: runtime.eventsCommitted,
      clock: deps.clock ?? (() => new Date()),
    };
    const bootstrap = await runBootstrap(ports, config.AUTH_BOOTSTRAP_FILE, logger);
    const server = await startServiceGrpcServer(deps, {
      serviceName: "auth",
      host: config.AUTH_GRPC_HOST,
      port: config.AUTH_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      services: authGrpcServices(ports),
    });
    const namespaces = connectNamespaceExistence({
      service: "auth",
      address: config.NAMESPACE_GRPC_URL,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      localCalls: deps.localCalls,
    });
    const namespaceKeys = await startNamespaceDeletedConsumer({
      nc,
      ports,
      namespaceIsLive: (organizationId, namespaceId) => namespaces.isLive(organizationId, namespaceId),
      logger,
      ...consumerObserverOf(deps.metrics),
    });
    const running = runningGrpcService({
      name: "auth",
      server,
      runtime,
      // The consumer first: a key change in progress finishes before the store closes.
      stop: () =>
        namespaceKeys
          .stop()
          .then(() => runtime.stop(server))
          .then(() => namespaces.close()),
    });
    return { ...running, bootstrap };
  } catch (exception: unknown) {
    await runtime.abort();
    throw exception;
  }
}

async function runBootstrap(
  ports: AuthPorts,
  file: string | undefined,
  logger: Logger,
): Promise<RunningAuthService["bootstrap"]> {
  if (file === undefined) return undefined;
  const outcome = await bootstrapIfEmpty(ports, bootstrapFileSink(file));
  if (outcome === undefined) return undefined;
  // The path only: the key itself must never reach a log.
  logger.info(
    { organization_id: outcome.organizationId, key_id: outcome.keyId, file },
    "first start: created organization 'default' and an admin API key; the key is in the file",
  );
  return { organizationId: outcome.organizationId, file };
}
