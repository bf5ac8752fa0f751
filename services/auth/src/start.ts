import {
  appendToOutbox,
  type connectNats,
  ensureEventStream,
  OUTBOX_TABLE_SPEC,
  OutboxRelay,
} from "@strata/bus";
import type { DocStore } from "@strata/docstore";
import type { Logger } from "@strata/logger";
import { bootstrapFileSink } from "./adapters/bootstrap-file.js";
import { openStore } from "./adapters/open-store.js";
import { type AuthConfig, storeLocationOf } from "./config.js";
import { bootstrapIfEmpty } from "./domain/bootstrap.js";
import type { AuthPorts } from "./domain/ports.js";
import { AUTH_TABLE_SPECS } from "./domain/tables.js";
import type { RunningService } from "./running-service.js";
import { startAuthGrpcServer } from "./server.js";

export type NatsConnection = Awaited<ReturnType<typeof connectNats>>;

export interface AuthServiceDeps {
  readonly config: AuthConfig;
  readonly logger: Logger;
  readonly nc: NatsConnection;
  /** Tests move time; defaults to the system clock. */
  readonly clock?: () => Date;
}

export interface RunningAuthService extends RunningService {
  readonly grpcAddress: string;
  /** Set when this start created the first organization; the admin key is in `file` (never logged). */
  readonly bootstrap: { readonly organizationId: string; readonly file: string } | undefined;
}

export async function startAuthService(deps: AuthServiceDeps): Promise<RunningAuthService> {
  // The caller names the service in its logger (main: createLogger({service}); launcher: a child).
  const { config, nc, logger } = deps;
  const store = await openStore(storeLocationOf(config));
  let relay: OutboxRelay | undefined;
  try {
    for (const spec of [...AUTH_TABLE_SPECS, OUTBOX_TABLE_SPEC]) await store.ensureTable(spec);
    await ensureEventStream(nc);
    const startedRelay = new OutboxRelay({ store, nc, logger });
    relay = startedRelay;
    startedRelay.start();
    const ports: AuthPorts = {
      store,
      appendEvent: appendToOutbox,
      eventsCommitted: () => startedRelay.notify(),
      clock: deps.clock ?? (() => new Date()),
    };
    const bootstrap = await runBootstrap(ports, config.AUTH_BOOTSTRAP_FILE, logger);
    const server = await startAuthGrpcServer({
      ports,
      host: config.AUTH_GRPC_HOST,
      port: config.AUTH_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      logger,
    });
    let stopped: Promise<void> | undefined;
    return {
      name: "auth",
      grpcAddress: server.address,
      bootstrap,
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

async function closeQuietly(store: DocStore): Promise<void> {
  try {
    await store.close();
  } catch {
    // Start already failed; the original error is the one worth reporting.
  }
}
