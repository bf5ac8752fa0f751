// Helpers for this package's service tests (and the benchmark): the manifest service with the real
// services that own the resources, each on its own gRPC port, over one NATS JetStream.
import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { aclQueryConfigSchema, startAclQueryService } from "@strata/acl-query";
import { connectNats } from "@strata/bus";
import { type Env, loadConfig } from "@strata/config";
import { clientInterceptors, type ResultClient, resultClient } from "@strata/grpc";
import { newId } from "@strata/ids";
import { createLogger } from "@strata/logger";
import { namespaceConfigSchema, startNamespaceService } from "@strata/namespace";
import { bucketV1, manifestV1, namespaceV1 } from "@strata/proto";
import { type NatsServerHandle, startNatsServer, tempDir } from "@strata/testkit";
import { startTierMigrator, tierMigratorConfigSchema } from "@strata/tier-migrator";
import { startWebhookDispatcher, webhookDispatcherConfigSchema } from "@strata/webhook-dispatcher";
import { manifestConfigSchema } from "../config.js";
import type { StepRunner } from "../domain/ports.js";
import { type NatsConnection, type RunningManifest, startManifest } from "../start.js";

export const INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";

export interface ManifestHarness {
  readonly nats: NatsServerHandle;
  readonly nc: NatsConnection;
  readonly organizationId: string;
  readonly caller: Caller;
  readonly manifest: ResultClient<typeof manifestV1.ManifestServiceService>;
  readonly manifestAddress: string;
  /** A new empty namespace of the harness's organization; its id. */
  newNamespace(): Promise<string>;
  /** Creates a bucket through the namespace service, outside any manifest. */
  createBucketDirectly(namespaceId: string, name: string): Promise<void>;
  /**
   * Starts another replica of the manifest service over the same store (for the lock test; the
   * benchmark's baseline gives it other settings).
   */
  startReplica(
    runStep?: StepRunner,
    settings?: Env,
  ): Promise<ResultClient<typeof manifestV1.ManifestServiceService>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Runs each apply step of the first replica; tests make one fail. */
  readonly runStep?: StepRunner;
  /** The warm tier tier-migrator's policy check assumes (default embedded). */
  readonly warmBackend?: "embedded" | "s3vectors";
}

export async function startManifestHarness(options: HarnessOptions = {}): Promise<ManifestHarness> {
  const nats = await startNatsServer();
  const nc = await connectNats({ servers: nats.url, name: "manifest-int-test" });
  const dir = await tempDir("manifest-int");
  const logger = createLogger({ service: "manifest-test", level: "silent" });
  const shared: Env = {
    STRATA_DATA_DIR: dir.path,
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: INTERNAL_TOKEN,
    LOG_LEVEL: "silent",
    // The store throws on reentry instead of deadlocking (off in production, ADR 0043).
    STRATA_STORE_REENTRY_CHECK: "true",
  };
  const namespace = await startNamespaceService({
    config: loadConfig(namespaceConfigSchema, { ...shared, NAMESPACE_GRPC_PORT: "0" }),
    logger,
    nc,
  });
  const aclQuery = await startAclQueryService({
    config: loadConfig(aclQueryConfigSchema, {
      ...shared,
      ACL_QUERY_GRPC_PORT: "0",
      NAMESPACE_GRPC_URL: namespace.grpcAddress,
    }),
    logger,
    nc,
  });
  const webhooks = await startWebhookDispatcher({
    config: loadConfig(webhookDispatcherConfigSchema, {
      ...shared,
      WEBHOOK_GRPC_PORT: "0",
      NAMESPACE_GRPC_URL: namespace.grpcAddress,
    }),
    logger,
    nc,
  });
  const tiering = await startTierMigrator({
    config: loadConfig(tierMigratorConfigSchema, {
      ...shared,
      TIER_MIGRATOR_GRPC_PORT: "0",
      NAMESPACE_GRPC_URL: namespace.grpcAddress,
      // Only tier-migrator's policy check reads this (S3 Vectors holds no dot product); the
      // namespace service keeps its embedded warm tier, since these tests move no document.
      STRATA_WARM_BACKEND: options.warmBackend ?? "embedded",
    }),
    logger,
    nc,
  });
  const manifestEnv: Env = {
    ...shared,
    MANIFEST_GRPC_PORT: "0",
    NAMESPACE_GRPC_URL: namespace.grpcAddress,
    ACL_QUERY_GRPC_URL: aclQuery.grpcAddress,
    WEBHOOK_GRPC_URL: webhooks.grpcAddress,
    TIER_MIGRATOR_GRPC_URL: tiering.grpcAddress,
    MANIFEST_APPLY_LOCK_WAIT: "20s",
  };
  const startOne = (runStep?: StepRunner, settings: Env = {}) =>
    startManifest({
      config: loadConfig(manifestConfigSchema, { ...manifestEnv, ...settings }),
      logger,
      nc,
      ...(runStep === undefined ? {} : { runStep }),
    });
  const first = await startOne(options.runStep);
  const replicas: RunningManifest[] = [first];
  const clients: grpc.Client[] = [];
  const interceptors = clientInterceptors({ internalToken: INTERNAL_TOKEN });
  const manifestClient = new manifestV1.ManifestServiceClient(
    first.grpcAddress,
    grpc.credentials.createInsecure(),
    {
      interceptors,
    },
  );
  const namespaceClient = new namespaceV1.NamespaceServiceClient(
    namespace.grpcAddress,
    grpc.credentials.createInsecure(),
    { interceptors },
  );
  const namespaces = resultClient(namespaceClient, namespaceV1.NamespaceServiceService, {
    deadlineMs: 10_000,
  });
  const buckets = resultClient(namespaceClient, bucketV1.BucketServiceService, { deadlineMs: 10_000 });
  const organizationId = newId("organization");
  const caller = adminOf(organizationId);
  return {
    nats,
    nc,
    organizationId,
    caller,
    manifest: resultClient(manifestClient, manifestV1.ManifestServiceService, { deadlineMs: 60_000 }),
    manifestAddress: first.grpcAddress,
    async newNamespace() {
      const created = await namespaces.createNamespace(
        { namespaceName: `ns-${newId("namespace").slice(3, 15).toLowerCase()}`, description: "" },
        { caller },
      );
      if (!created.ok) throw new Error(`createNamespace: ${created.error.message}`);
      const id = created.value.namespace?.namespaceId;
      if (id === undefined) throw new Error("createNamespace answered no namespace");
      return id;
    },
    async createBucketDirectly(namespaceId, name) {
      const created = await buckets.createBucket(
        { namespaceId, bucketName: name, description: "" },
        { caller },
      );
      if (!created.ok) throw new Error(`createBucket: ${created.error.message}`);
    },
    async startReplica(runStep, settings) {
      const replica = await startOne(runStep, settings);
      replicas.push(replica);
      const client = new manifestV1.ManifestServiceClient(
        replica.grpcAddress,
        grpc.credentials.createInsecure(),
        {
          interceptors,
        },
      );
      clients.push(client);
      return resultClient(client, manifestV1.ManifestServiceService, { deadlineMs: 60_000 });
    },
    async close() {
      manifestClient.close();
      for (const client of clients) client.close();
      namespaceClient.close();
      for (const replica of replicas.reverse()) await replica.stop();
      await tiering.stop();
      await webhooks.stop();
      await aclQuery.stop();
      await namespace.stop();
      await nc.close();
      await nats.stop();
      await dir.remove();
    },
  };
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
