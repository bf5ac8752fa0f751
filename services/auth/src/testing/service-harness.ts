// Helpers for this package's service tests only; not exported from index.ts.
import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { connectNats } from "@strata/bus";
import { loadConfig } from "@strata/config";
import { clientInterceptors } from "@strata/grpc";
import { createLogger } from "@strata/logger";
import { authV1, permissionFromProto } from "@strata/proto";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { authConfigSchema } from "../config.js";
import { type NatsConnection, type RunningAuthService, startAuthService } from "../start.js";

// Shared with the other services' harnesses; re-exported so the tests import one module.
export { readEventStream } from "@strata/service-kit";

export const INTERNAL_TOKEN = "test-internal-token-0123456789abcdef";

export interface AuthHarness {
  readonly nats: NatsServerHandle;
  readonly nc: NatsConnection;
  readonly dir: TempDir;
  service: RunningAuthService;
  client: authV1.AuthServiceClient;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startAuthHarness(): Promise<AuthHarness> {
  const nats = await startNatsServer();
  const nc = await connectNats({ servers: nats.url, name: "auth-int-test" });
  const dir = await tempDir("auth-int");
  const config = loadConfig(authConfigSchema, {
    AUTH_GRPC_PORT: "0",
    STRATA_DATA_DIR: dir.path,
    AUTH_BOOTSTRAP_FILE: `${dir.path}/bootstrap.json`,
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: INTERNAL_TOKEN,
    LOG_LEVEL: "silent",
    // The store throws on reentry instead of deadlocking (off in production, ADR 0043).
    STRATA_STORE_REENTRY_CHECK: "true",
    // No namespace service here: nothing in these tests deletes a namespace.
    NAMESPACE_GRPC_URL: "127.0.0.1:1",
  });
  const logger = createLogger({ service: "auth-test", level: "silent" });
  const start = () => startAuthService({ config, logger, nc });
  const connect = (address: string) =>
    new authV1.AuthServiceClient(address, grpc.credentials.createInsecure(), {
      interceptors: clientInterceptors({ internalToken: INTERNAL_TOKEN }),
    });
  const service = await start();
  const harness: AuthHarness = {
    nats,
    nc,
    dir,
    service,
    client: connect(service.grpcAddress),
    async restart() {
      harness.client.close();
      await harness.service.stop();
      harness.service = await start();
      harness.client = connect(harness.service.grpcAddress);
    },
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

/** The caller the gateway would derive from a verified key. */
export function callerFromKey(key: authV1.ApiKey): Caller {
  return {
    organizationId: key.organizationId,
    keyId: key.keyId,
    permissions: key.permissions.flatMap((p) => {
      const name = permissionFromProto(p);
      return name === undefined ? [] : [name];
    }),
    namespaces: key.namespaces,
    ...(key.principalId === undefined ? {} : { principalId: key.principalId }),
    roles: key.roles,
    attributes: key.attributes ?? {},
  };
}
