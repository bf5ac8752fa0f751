// Helpers for this package's service tests only; not exported from index.ts.
import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { connectNats } from "@strata/bus";
import { loadConfig } from "@strata/config";
import type { AppError, Result } from "@strata/errors";
import { callUnary, clientInterceptors, type UnaryInvoker } from "@strata/grpc";
import { createLogger } from "@strata/logger";
import {
  namespaceConfigSchema,
  type RunningNamespaceService,
  startNamespaceService,
} from "@strata/namespace";
import { alertV1, collectionV1, documentV1, namespaceV1, retrieverV1 } from "@strata/proto";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { aclQueryConfigSchema } from "../config.js";
import { type NatsConnection, type RunningAclQueryService, startAclQueryService } from "../start.js";

// Shared with the other services' harnesses; re-exported so the tests import one module.
export { readEventStream } from "@strata/service-kit";

export const INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";

/** acl-query and the namespace service it reads from, on a private nats-server. */
export interface AclQueryHarness {
  readonly nats: NatsServerHandle;
  readonly nc: NatsConnection;
  readonly dir: TempDir;
  readonly namespaceService: RunningNamespaceService;
  readonly service: RunningAclQueryService;
  readonly namespaces: namespaceV1.NamespaceServiceClient;
  readonly collections: collectionV1.CollectionServiceClient;
  readonly documents: documentV1.DocumentServiceClient;
  readonly retrievers: retrieverV1.RetrieverServiceClient;
  readonly alerts: alertV1.AlertServiceClient;
  close(): Promise<void>;
}

export async function startAclQueryHarness(): Promise<AclQueryHarness> {
  const nats = await startNatsServer();
  const nc = await connectNats({ servers: nats.url, name: "acl-query-int-test" });
  const dir = await tempDir("acl-query-int");
  const common = {
    STRATA_DATA_DIR: dir.path,
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: INTERNAL_TOKEN,
    LOG_LEVEL: "silent",
    // The store throws on reentry instead of deadlocking (off in production, ADR 0043).
    STRATA_STORE_REENTRY_CHECK: "true",
  };
  const namespaceService = await startNamespaceService({
    config: loadConfig(namespaceConfigSchema, { ...common, NAMESPACE_GRPC_PORT: "0" }),
    logger: createLogger({ service: "namespace-test", level: "silent" }),
    nc,
  });
  const service = await startAclQueryService({
    config: loadConfig(aclQueryConfigSchema, {
      ...common,
      ACL_QUERY_GRPC_PORT: "0",
      NAMESPACE_GRPC_URL: namespaceService.grpcAddress,
    }),
    logger: createLogger({ service: "acl-query-test", level: "silent" }),
    nc,
  });
  const options = { interceptors: clientInterceptors({ internalToken: INTERNAL_TOKEN }) };
  const insecure = grpc.credentials.createInsecure();
  const at = namespaceService.grpcAddress;
  const clients = {
    namespaces: new namespaceV1.NamespaceServiceClient(at, insecure, options),
    collections: new collectionV1.CollectionServiceClient(at, insecure, options),
    documents: new documentV1.DocumentServiceClient(at, insecure, options),
    retrievers: new retrieverV1.RetrieverServiceClient(service.grpcAddress, insecure, options),
    alerts: new alertV1.AlertServiceClient(service.grpcAddress, insecure, options),
  };
  return {
    nats,
    nc,
    dir,
    namespaceService,
    service,
    ...clients,
    async close() {
      for (const client of Object.values(clients)) client.close();
      await service.stop();
      await namespaceService.stop();
      await nc.close();
      await nats.stop();
      await dir.remove();
    },
  };
}

/** One unary call made as `caller`, its answer as a Result. */
export function callAs<C, Req, Res>(
  caller: Caller,
  client: C,
  method: (client: C) => UnaryInvoker<Req, Res>,
  request: Req,
): Promise<Result<Res, AppError>> {
  return callUnary(method(client).bind(client), request, { caller });
}

/** The answer of a call a test's setup needs to succeed. */
export function must<T>(result: Result<T, AppError>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
