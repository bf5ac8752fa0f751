import { appendToOutbox } from "@strata/bus";
import { startGrpcServer } from "@strata/grpc";
import type { Logger } from "@strata/logger";
import { type NatsConnection, type RunningService, startServiceRuntime } from "@strata/service-kit";
import { type NamespaceConfig, storeLocationOf } from "./config.js";
import { MetadataValidators } from "./domain/collections/metadata-validators.js";
import type { DataPorts } from "./domain/data-ports.js";
import { DATA_TABLE_SPECS } from "./domain/data-tables.js";
import { NAMESPACE_TABLE_SPECS } from "./domain/tables.js";
import { namespaceGrpcServices } from "./server.js";

export type { NatsConnection };

export interface NamespaceServiceDeps {
  readonly config: NamespaceConfig;
  readonly logger: Logger;
  readonly nc: NatsConnection;
  /** Tests move time; defaults to the system clock. */
  readonly clock?: () => Date;
}

export interface RunningNamespaceService extends RunningService {
  readonly grpcAddress: string;
}

export async function startNamespaceService(deps: NamespaceServiceDeps): Promise<RunningNamespaceService> {
  // The caller names the service in its logger (main: createLogger({service}); launcher: a child).
  const { config, nc, logger } = deps;
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    tableSpecs: [...NAMESPACE_TABLE_SPECS, ...DATA_TABLE_SPECS],
    nc,
    logger,
  });
  try {
    const ports: DataPorts = {
      store: runtime.store,
      appendEvent: appendToOutbox,
      eventsCommitted: runtime.eventsCommitted,
      clock: deps.clock ?? (() => new Date()),
      metadataValidators: new MetadataValidators(),
    };
    const server = await startGrpcServer({
      serviceName: "namespace",
      host: config.NAMESPACE_GRPC_HOST,
      port: config.NAMESPACE_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      logger,
      services: namespaceGrpcServices(ports),
    });
    return {
      name: "namespace",
      grpcAddress: server.address,
      ready: runtime.ready,
      stop: () => runtime.stop(server),
    };
  } catch (exception: unknown) {
    await runtime.abort();
    throw exception;
  }
}
