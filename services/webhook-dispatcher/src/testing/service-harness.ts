// Helpers for this package's service tests only; not exported from index.ts.
import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { connectNats } from "@strata/bus";
import { type Env, loadConfig } from "@strata/config";
import { buildEvent, type EventEnvelope } from "@strata/events";
import { clientInterceptors } from "@strata/grpc";
import { newId } from "@strata/ids";
import { createLogger } from "@strata/logger";
import { webhookV1 } from "@strata/proto";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { webhookDispatcherConfigSchema } from "../config.js";
import { type NatsConnection, type RunningWebhookDispatcher, startWebhookDispatcher } from "../start.js";

export { readEventStream } from "@strata/service-kit";
export { eventually, publishEvents } from "@strata/service-kit/testing";

export const INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";

/** Retries compressed from hours to milliseconds; loopback allowed. */
export function testEnv(natsUrl: string, dataDir: string, overrides: Env = {}): Env {
  return {
    WEBHOOK_GRPC_PORT: "0",
    STRATA_DATA_DIR: dataDir,
    NATS_URL: natsUrl,
    STRATA_INTERNAL_TOKEN: INTERNAL_TOKEN,
    LOG_LEVEL: "silent",
    // The store throws on reentry instead of deadlocking (off in production, ADR 0043).
    STRATA_STORE_REENTRY_CHECK: "true",
    NAMESPACE_GRPC_URL: "127.0.0.1:1",
    STRATA_WEBHOOK_ALLOWED_CIDRS: "127.0.0.0/8",
    WEBHOOK_RETRY_SCHEDULE: "50ms,100ms,200ms",
    WEBHOOK_TIMEOUT: "2s",
    WEBHOOK_CLAIM: "3s",
    WEBHOOK_SCHEDULER_INTERVAL: "25ms",
    ...overrides,
  };
}

export interface DispatcherHarness {
  readonly nats: NatsServerHandle;
  readonly nc: NatsConnection;
  readonly dir: TempDir;
  service: RunningWebhookDispatcher;
  client: webhookV1.WebhookServiceClient;
  close(): Promise<void>;
}

export async function startDispatcherHarness(overrides: Env = {}): Promise<DispatcherHarness> {
  const nats = await startNatsServer();
  const nc = await connectNats({ servers: nats.url, name: "webhook-int-test" });
  const dir = await tempDir("webhook-int");
  const config = loadConfig(webhookDispatcherConfigSchema, testEnv(nats.url, dir.path, overrides));
  const logger = createLogger({ service: "webhook-test", level: "silent" });
  const service = await startWebhookDispatcher({ config, logger, nc });
  const harness: DispatcherHarness = {
    nats,
    nc,
    dir,
    service,
    client: connectClient(service.grpcAddress),
    async close() {
      harness.client.close();
      await harness.service.stop();
      await nc.close();
      await nats.stop();
      await dir.remove();
    },
  };
  return harness;
}

export function connectClient(address: string): webhookV1.WebhookServiceClient {
  return new webhookV1.WebhookServiceClient(address, grpc.credentials.createInsecure(), {
    interceptors: clientInterceptors({ internalToken: INTERNAL_TOKEN }),
  });
}

export function adminOf(organizationId: string): Caller {
  return {
    organizationId,
    keyId: newId("apiKey"),
    permissions: ["admin"],
    namespaces: [],
    roles: [],
    attributes: {},
  };
}

/** A batch.completed event of a namespace, as the namespace service would publish it. */
export function batchCompleted(
  organizationId: string,
  namespaceId: string,
): EventEnvelope<"batch.completed"> {
  return buildEvent(
    "batch.completed",
    { service: "namespace", organizationId, namespaceId, subject: newId("batch"), time: new Date() },
    {
      batch_id: newId("batch"),
      collection_id: newId("collection"),
      namespace_id: namespaceId,
      organization_id: organizationId,
      total: 1,
      succeeded: 1,
      failed: 0,
    },
  );
}

/** A namespace event of any type that needs only its ids (document.deleted style data aside). */
export function batchFailed(organizationId: string, namespaceId: string): EventEnvelope<"batch.failed"> {
  return buildEvent(
    "batch.failed",
    { service: "namespace", organizationId, namespaceId, subject: newId("batch"), time: new Date() },
    {
      batch_id: newId("batch"),
      collection_id: newId("collection"),
      namespace_id: namespaceId,
      organization_id: organizationId,
      total: 1,
      succeeded: 0,
      failed: 1,
    },
  );
}
