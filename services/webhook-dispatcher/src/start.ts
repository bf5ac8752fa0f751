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
import { createAddressPolicy, literalUrlRefusal } from "./adapters/http/address-policy.js";
import { createUndiciSender } from "./adapters/http/undici-sender.js";
import { openDueQueue } from "./adapters/nats/due-queue.js";
import { createSecretBox, loadSecretKey } from "./adapters/secret-box.js";
import { dispatchSettingsOf, storeLocationOf, type WebhookDispatcherConfig } from "./config.js";
import { startAttemptWorker } from "./consumers/attempt-worker.js";
import { startDueScheduler } from "./consumers/due-scheduler.js";
import { startEventFanOut } from "./consumers/event-fan-out.js";
import { startNamespaceClonedConsumer } from "./consumers/namespace-cloned.js";
import { startNamespaceDeletedConsumer } from "./consumers/namespace-deleted.js";
import { startRetentionPurge } from "./consumers/retention-purge.js";
import { createEndpointSlots } from "./domain/endpoint-slots.js";
import type { WebhookPorts } from "./domain/ports.js";
import { createEndpointRateLimiter } from "./domain/rate-limiter.js";
import { createAttemptRunner } from "./domain/run-attempt.js";
import { createSendWindow } from "./domain/send-window.js";
import { WEBHOOK_TABLE_SPECS } from "./domain/tables.js";
import { webhookGrpcServices } from "./server.js";

export type { NatsConnection };

/**
 * A first attempt unanswered after this long stops holding up the fan-out (send-window.ts): far
 * beyond a healthy endpoint's answer, short beside the request timeout.
 */
const SLOW_ATTEMPT_MS = 1_000;

export type WebhookDispatcherDeps = ServiceStartDeps<WebhookDispatcherConfig>;

export interface RunningWebhookDispatcher extends RunningService {
  readonly grpcAddress: string;
}

export async function startWebhookDispatcher(deps: WebhookDispatcherDeps): Promise<RunningWebhookDispatcher> {
  const { config, nc, logger } = deps;
  const settings = dispatchSettingsOf(config);
  const policy = createAddressPolicy(config.STRATA_WEBHOOK_ALLOWED_CIDRS);
  const sealer = createSecretBox(loadSecretKey(config.WEBHOOK_SECRET_KEY, config.STRATA_DATA_DIR));
  const runtime = await startServiceRuntime({
    storeLocation: storeLocationOf(config),
    storeReentryCheck: config.STRATA_STORE_REENTRY_CHECK,
    tableSpecs: WEBHOOK_TABLE_SPECS,
    nc,
    logger,
    metrics: deps.metrics,
  });
  const observer = consumerObserverOf(deps.metrics);
  // Connections per origin, not per webhook: several webhooks may share an origin, and a request
  // waiting inside undici for a connection spends its timeout there. No more are ever in flight
  // than the worker and the fan-out's send window hand out at once.
  const sender = createUndiciSender(policy, config.WEBHOOK_WORKER_CONCURRENCY + config.WEBHOOK_SEND_WINDOW);
  try {
    const ports: WebhookPorts = {
      store: runtime.store,
      appendEvent: runtime.appendEvent,
      eventsCommitted: runtime.eventsCommitted,
      clock: deps.clock ?? (() => new Date()),
      random: Math.random,
      sealer,
      refuseUrl: literalUrlRefusal(policy),
      settings,
    };
    const server = await startServiceGrpcServer(deps, {
      serviceName: "webhook-dispatcher",
      host: config.WEBHOOK_GRPC_HOST,
      port: config.WEBHOOK_GRPC_PORT,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      services: webhookGrpcServices(ports),
    });
    const queue = await openDueQueue(nc);
    // One runner for queued and fanned-out attempts: they share the endpoint slots and the outcome commits.
    const runner = createAttemptRunner(
      ports,
      sender.send,
      createEndpointSlots(settings.perEndpointConcurrency),
      createEndpointRateLimiter(),
    );
    const worker = await startAttemptWorker({
      nc,
      runner,
      concurrency: config.WEBHOOK_WORKER_CONCURRENCY,
      logger,
      ackWaitMs: config.WEBHOOK_ACK_WAIT,
      ...observer,
    });
    const fanOut = await startEventFanOut({
      nc,
      ports,
      queue,
      runner,
      window: createSendWindow(config.WEBHOOK_SEND_WINDOW, SLOW_ATTEMPT_MS),
      logger,
      ackWaitMs: config.WEBHOOK_ACK_WAIT,
      ...observer,
    });
    const scheduler = startDueScheduler({
      ports,
      queue,
      intervalMs: config.WEBHOOK_SCHEDULER_INTERVAL,
      logger,
    });
    const retention = startRetentionPurge({
      ports,
      retentionMs: config.WEBHOOK_RETENTION,
      intervalMs: config.WEBHOOK_RETENTION_PURGE_INTERVAL,
      logger,
    });
    const namespaces = connectNamespaceExistence({
      service: "webhook-dispatcher",
      address: config.NAMESPACE_GRPC_URL,
      internalToken: config.STRATA_INTERNAL_TOKEN,
      localCalls: deps.localCalls,
    });
    const namespaceIsLive = (organizationId: string, namespaceId: string) =>
      namespaces.isLive(organizationId, namespaceId);
    const namespaceDeleted = await startNamespaceDeletedConsumer({
      nc,
      ports,
      namespaceIsLive,
      logger,
      ...observer,
    });
    const namespaceCloned = await startNamespaceClonedConsumer({
      nc,
      ports,
      namespaceIsLive,
      logger,
      ...observer,
    });
    return runningGrpcService({
      name: "webhook-dispatcher",
      server,
      runtime,
      // Intake first, then the attempts in flight finish and record their outcome, then the store.
      stop: async () => {
        await fanOut.stop();
        await namespaceDeleted.stop();
        await namespaceCloned.stop();
        await scheduler.stop();
        await retention.stop();
        await worker.stop();
        await sender.close();
        await runtime.stop(server);
        namespaces.close();
      },
    });
  } catch (exception: unknown) {
    await sender.close();
    await runtime.abort();
    throw exception;
  }
}
