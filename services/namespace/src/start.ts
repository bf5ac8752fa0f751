import {
  appendToOutbox,
  type connectNats,
  ensureEventStream,
  OUTBOX_TABLE_SPEC,
  OutboxRelay,
} from "@strata/bus";
import type { DocStore } from "@strata/docstore";
import type { Logger } from "@strata/logger";
import { openStore } from "./adapters/open-store.js";
import { type NamespaceConfig, storeLocationOf } from "./config.js";
import { MetadataValidators } from "./domain/collections/metadata-validators.js";
import type { DataPorts } from "./domain/data-ports.js";
import { DATA_TABLE_SPECS } from "./domain/data-tables.js";
import { NAMESPACE_TABLE_SPECS } from "./domain/tables.js";
import type { RunningService } from "./running-service.js";
import { startNamespaceGrpcServer } from "./server.js";

export type NatsConnection = Awaited<ReturnType<typeof connectNats>>;

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
  const store = await openStore(storeLocationOf(config));
  let relay: OutboxRelay | undefined;
  try {
    for (const spec of [...NAMESPACE_TABLE_SPECS, ...DATA_TABLE_SPECS, OUTBOX_TABLE_SPEC])
      await store.ensureTable(spec);
    await ensureEventStream(nc);
    const startedRelay = new OutboxRelay({ store, nc, logger });
    relay = startedRelay;
    startedRelay.start();
    const ports: DataPorts = {
      store,
      appendEvent: appendToOutbox,
      eventsCommitted: () => startedRelay.notify(),
      clock: deps.clock ?? (() => new Date()),
      metadataValidators: new MetadataValidators(),
    };
    const server = await startNamespaceGrpcServer({
      ports,
      host: config.NAMESPACE_GRPC_HOST,
      port: config.NAMESPACE_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      logger,
    });
    let stopped: Promise<void> | undefined;
    return {
      name: "namespace",
      grpcAddress: server.address,
      ready: async () => !nc.isClosed() && (await store.ping()),
      stop: () => {
        stopped ??= (async () => {
          await server.shutdown();
          await startedRelay.stop();
          await store.close();
        })();
        return stopped;
      },
    };
  } catch (exception: unknown) {
    await relay?.stop();
    await closeQuietly(store);
    throw exception;
  }
}

async function closeQuietly(store: DocStore): Promise<void> {
  try {
    await store.close();
  } catch {
    // Start already failed; the original error is the one worth reporting.
  }
}
