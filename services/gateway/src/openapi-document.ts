import { createLogger } from "@strata/logger";
import { buildGatewayApp } from "./app.js";
import type { Backends } from "./backends/backends.js";
import { loadGatewayConfig } from "./config.js";
import type { IdempotencyStore } from "./idempotency/idempotency-store.js";

/**
 * The OpenAPI document exactly as a running gateway serves it at /v1/openapi.json, built without
 * starting anything: the routes only register their schemas, and nothing here is ever called.
 * `pnpm run codegen` writes it to docs/openapi.json, from which the SDK is generated.
 */
export async function buildOpenApiDocument(): Promise<unknown> {
  const neverCalled = (what: string) => () => {
    throw new Error(`${what} is not available while only the OpenAPI document is built`);
  };
  // Routes take their RPC methods when registered; calling one is what must never happen.
  const backends = new Proxy(
    {},
    {
      get: (_t, service) =>
        new Proxy({}, { get: (_s, method) => neverCalled(`${String(service)}.${String(method)}`) }),
    },
  );
  const idempotencyStore: IdempotencyStore = {
    get: neverCalled("idempotency"),
    create: neverCalled("idempotency"),
    update: neverCalled("idempotency"),
    delete: neverCalled("idempotency"),
  };
  const gateway = await buildGatewayApp({
    config: loadGatewayConfig({
      AUTH_GRPC_URL: "127.0.0.1:1",
      NAMESPACE_GRPC_URL: "127.0.0.1:1",
      ACL_QUERY_GRPC_URL: "127.0.0.1:1",
      WEBHOOK_GRPC_URL: "127.0.0.1:1",
      TIER_MIGRATOR_GRPC_URL: "127.0.0.1:1",
      MANIFEST_GRPC_URL: "127.0.0.1:1",
      STRATA_INTERNAL_TOKEN: "openapi-document-only-token-0123456789",
    }),
    logger: createLogger({ service: "openapi-export", level: "silent" }),
    backends: backends as Backends,
    idempotencyStore,
    ready: async () => ({ ready: false, checks: {} }),
  });
  try {
    return gateway.app.swagger();
  } finally {
    await gateway.app.close();
  }
}
