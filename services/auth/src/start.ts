import { type LocalServices, startGrpcServer } from "@strata/grpc";
import type { Logger } from "@strata/logger";
import {
  connectNamespaceExistence,
  type NatsConnection,
  type RunningService,
  type ServiceMetrics,
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

export interface AuthServiceDeps {
  readonly config: AuthConfig;
  readonly logger: Logger;
  readonly nc: NatsConnection;
  /** Tests move time; defaults to the system clock. */
  readonly clock?: () => Date;
  /** The launcher's registry of this process's servers (ADR 0010); none: every call over gRPC. */
  readonly localCalls?: LocalServices;
  /** The launcher's metrics for this service; none: nothing is measured. */
  readonly metrics?: ServiceMetrics;
}

export interface RunningAuthService extends RunningService {
  readonly grpcAddress: string;
  /** Set when this start created the first organization; the admin key is in `file` (never logged). */
  readonly bootstrap: { readonly organizationId: string; readonly file: string } | undefined;
}

export async function startAuthService(deps: AuthServiceDeps): Promise<RunningAuthService> {
  // The caller names the service in its logger (main: createLogger({service}); launcher: a child).
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    tableSpecs: AUTH_TABLE_SPECS,
    nc,
    logger,
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
  });
  try {
    const ports: AuthPorts = {
      store: runtime.store,
      appendEvent: runtime.appendEvent,
      eventsCommitted: runtime.eventsCommitted,
      clock: deps.clock ?? (() => new Date()),
    };
    const bootstrap = await runBootstrap(ports, config.AUTH_BOOTSTRAP_FILE, logger);
    const server = await startGrpcServer({
      serviceName: "auth",
      host: config.AUTH_GRPC_HOST,
      port: config.AUTH_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      logger,
      services: authGrpcServices(ports),
      localCalls: deps.localCalls,
      ...(deps.metrics === undefined ? {} : { callObserver: deps.metrics.grpc }),
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
      ...(deps.metrics === undefined ? {} : { observer: deps.metrics.consumers }),
    });
    let stopped: Promise<void> | undefined;
    return {
      name: "auth",
      grpcAddress: server.address,
      bootstrap,
      ready: runtime.ready,
      readiness: runtime.readiness,
      // The consumer first: a key change in progress finishes before the store closes.
      stop: () => {
        stopped ??= namespaceKeys
          .stop()
          .then(() => runtime.stop(server))
          .then(() => namespaces.close());
        return stopped;
      },
    };
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
