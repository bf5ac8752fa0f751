import {
  type AppendToOutbox,
  createOutboxAppender,
  ensureEventStream,
  eventStreamMaxAgeMs,
  INBOX_TABLE_SPEC,
  type InboxPruner,
  natsReachable,
  OUTBOX_TABLE_SPEC,
  OutboxRelay,
  startInboxPruner,
} from "@strata/bus";
import type { DocStore, TableSpec } from "@strata/docstore";
import type { Logger } from "@strata/logger";
import type { ServiceMetrics } from "@strata/metrics";
import type { NatsConnection } from "nats";
import { openServiceStore } from "./open-service-store.js";
import type { StoreLocation } from "./store-location.js";

export interface ServiceRuntimeOptions {
  readonly storeLocation: StoreLocation;
  /** `STRATA_STORE_REENTRY_CHECK`: the embedded store's reentry check (TxGate), off in production. */
  readonly storeReentryCheck: boolean;
  /** The service's own tables; the outbox table is added here, every outbox service needs it. */
  readonly tableSpecs: ReadonlyArray<TableSpec>;
  /**
   * The service consumes events with `processOnce`: its inbox table is ensured, and pruned on a
   * timer of rows older than the event stream's max age (older events are never redelivered).
   */
  readonly inbox?: boolean;
  readonly nc: NatsConnection;
  readonly logger: Logger;
  /** Between two inbox prunings; default one hour (tests shorten it). */
  readonly inboxPruneIntervalMs?: number;
  /** The process's metrics (the launcher's): the outbox backlog is reported while the runtime runs. */
  readonly metrics?: ServiceMetrics;
}

/** What `stop` needs of the service's gRPC server (RunningGrpcServer fits). */
export interface StoppableServer {
  shutdown(): Promise<void>;
}

/** The store + outbox relay a service's domain runs on, with the start and stop order in one place. */
export interface ServiceRuntime {
  readonly store: DocStore;
  readonly relay: OutboxRelay;
  /** The domain ports' `appendEvent`: this service's own outbox appender (its own sequence). */
  readonly appendEvent: AppendToOutbox;
  /** The domain ports' hook: a transaction that appended events committed, publish them now. */
  readonly eventsCommitted: () => void;
  /** NATS connected and the store answering. */
  ready(): Promise<boolean>;
  /** The same, per dependency: `{ nats, store }`, for a /readyz that names what is not ready. */
  readiness(): Promise<Record<string, boolean>>;
  /**
   * Stops in the order that loses nothing: the server first (no new calls, those in flight
   * finish and may still append events), then the relay (publishes what is pending), then the
   * inbox pruner and the store. Later calls return the first call's promise.
   */
  stop(server: StoppableServer): Promise<void>;
  /** For a start that failed after the runtime was up: releases it, keeping the original error. */
  abort(): Promise<void>;
}

const READY_CHECK_TIMEOUT_MS = 1_000;

/**
 * Opens the store, ensures its tables and the event stream, starts the outbox relay. When one of
 * these steps fails, what was already opened is released before the error is rethrown.
 */
export async function startServiceRuntime(options: ServiceRuntimeOptions): Promise<ServiceRuntime> {
  const { nc, logger } = options;
  const store = await openServiceStore(options.storeLocation, {
    reentryCheck: options.storeReentryCheck,
  });
  let relay: OutboxRelay | undefined;
  let pruner: InboxPruner | undefined;
  const abort = async (): Promise<void> => {
    await relay?.stop();
    await pruner?.stop();
    await closeQuietly(store);
  };
  try {
    const inboxSpecs = options.inbox === true ? [INBOX_TABLE_SPEC] : [];
    for (const spec of [...options.tableSpecs, ...inboxSpecs, OUTBOX_TABLE_SPEC])
      await store.ensureTable(spec);
    await ensureEventStream(nc);
    const startedRelay = new OutboxRelay({ store, nc, logger });
    relay = startedRelay;
    startedRelay.start();
    if (options.inbox === true) {
      pruner = startInboxPruner({
        store,
        logger,
        retentionMs: () => eventStreamMaxAgeMs(nc),
        ...(options.inboxPruneIntervalMs === undefined ? {} : { intervalMs: options.inboxPruneIntervalMs }),
      });
    }
    const startedPruner = pruner;
    const unwatchOutbox = options.metrics?.watchOutbox(store);
    const readiness = async () => {
      const [natsUp, storeUp] = await Promise.all([
        natsReachable(nc, READY_CHECK_TIMEOUT_MS),
        store.ping().catch(() => false),
      ]);
      return { nats: natsUp, store: storeUp };
    };
    let stopped: Promise<void> | undefined;
    return {
      store,
      relay: startedRelay,
      appendEvent: createOutboxAppender(),
      eventsCommitted: () => startedRelay.notify(),
      ready: async () => Object.values(await readiness()).every(Boolean),
      readiness,
      stop: (server) => {
        stopped ??= (async () => {
          await server.shutdown();
          await startedRelay.stop();
          await startedPruner?.stop();
          unwatchOutbox?.();
          await store.close();
        })();
        return stopped;
      },
      abort,
    };
  } catch (exception: unknown) {
    await abort();
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
