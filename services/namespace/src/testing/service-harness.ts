// Helpers for this package's service tests only; not exported from index.ts.
import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { connectNats } from "@strata/bus";
import { loadConfig } from "@strata/config";
import type { AppError, Result } from "@strata/errors";
import { callUnary, clientInterceptors, type UnaryInvoker } from "@strata/grpc";
import { newId } from "@strata/ids";
import { createLogger } from "@strata/logger";
import { bucketV1, collectionV1, documentV1, namespaceV1, taxonomyV1 } from "@strata/proto";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { namespaceConfigSchema } from "../config.js";
import { type NatsConnection, type RunningNamespaceService, startNamespaceService } from "../start.js";

// Shared with the other services' harnesses; re-exported so the tests import one module.
export { readEventStream } from "@strata/service-kit";

export const INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";

export interface NamespaceHarness {
  readonly nats: NatsServerHandle;
  readonly nc: NatsConnection;
  readonly dir: TempDir;
  readonly service: RunningNamespaceService;
  readonly client: namespaceV1.NamespaceServiceClient;
  readonly collections: collectionV1.CollectionServiceClient;
  readonly documents: documentV1.DocumentServiceClient;
  readonly taxonomies: taxonomyV1.TaxonomyServiceClient;
  readonly buckets: bucketV1.BucketServiceClient;
  close(): Promise<void>;
}

/** `env` adds or overrides service variables (e.g. NAMESPACE_MAX_OBJECT_BYTES). */
export async function startNamespaceHarness(env: Record<string, string> = {}): Promise<NamespaceHarness> {
  const nats = await startNatsServer();
  const nc = await connectNats({ servers: nats.url, name: "namespace-int-test" });
  const dir = await tempDir("namespace-int");
  const config = loadConfig(namespaceConfigSchema, {
    NAMESPACE_GRPC_PORT: "0",
    STRATA_DATA_DIR: dir.path,
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: INTERNAL_TOKEN,
    LOG_LEVEL: "silent",
    // The store throws on reentry instead of deadlocking (off in production, ADR 0043).
    STRATA_STORE_REENTRY_CHECK: "true",
    ...env,
  });
  const logger = createLogger({ service: "namespace-test", level: "silent" });
  const service = await startNamespaceService({ config, logger, nc });
  const options = { interceptors: clientInterceptors({ internalToken: INTERNAL_TOKEN }) };
  const insecure = grpc.credentials.createInsecure();
  const client = new namespaceV1.NamespaceServiceClient(service.grpcAddress, insecure, options);
  const collections = new collectionV1.CollectionServiceClient(service.grpcAddress, insecure, options);
  const documents = new documentV1.DocumentServiceClient(service.grpcAddress, insecure, options);
  const taxonomies = new taxonomyV1.TaxonomyServiceClient(service.grpcAddress, insecure, options);
  const buckets = new bucketV1.BucketServiceClient(service.grpcAddress, insecure, options);
  return {
    nats,
    nc,
    dir,
    service,
    client,
    collections,
    documents,
    taxonomies,
    buckets,
    async close() {
      for (const c of [client, collections, documents, taxonomies, buckets]) c.close();
      await service.stop();
      await nc.close();
      await nats.stop();
      await dir.remove();
    },
  };
}

/** An admin of a new organization, as the gateway would pass it. */
export function adminCaller(): Caller {
  return {
    organizationId: newId("organization"),
    keyId: newId("apiKey"),
    permissions: ["admin"],
    namespaces: [],
    roles: [],
    attributes: {},
  };
}

/** One unary call of `client` on behalf of `caller`, its outcome as a Result. */
export function callAs<C, Req, Res>(
  caller: Caller,
  client: C,
  method: (client: C) => UnaryInvoker<Req, Res>,
  request: Req,
): Promise<Result<Res, AppError>> {
  return callUnary(method(client).bind(client), request, { caller });
}

/** The value of a call that must succeed (a failure fails the test with the error). */
export function must<T>(result: Result<T, AppError>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
