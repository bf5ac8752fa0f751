// Test support: the gateway against real gRPC servers (in-memory fakes) and a private nats-server.
import { connectNats } from "@strata/bus";
import { generateInternalToken, type RunningGrpcServer, startGrpcServer } from "@strata/grpc";
import { createLogger } from "@strata/logger";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import type { NatsConnection } from "nats";
import { Registry } from "prom-client";
import { loadGatewayConfig } from "../config.js";
import { type RunningService, startGateway } from "../start.js";
import { authServiceRegistration, FakeAuthState } from "./fake-auth-service.js";
import { FakeNamespaceState, namespaceServiceRegistration } from "./fake-namespace-service.js";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body; undefined when it is not JSON. */
  readonly json: unknown;
}

export interface RequestOptions {
  readonly key?: string;
  readonly headers?: Record<string, string>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (with the given headers), for malformed bodies. */
  readonly rawBody?: string;
}

export interface Harness {
  readonly url: string;
  readonly nc: NatsConnection;
  readonly nats: NatsServerHandle;
  readonly auth: FakeAuthState;
  readonly namespaces: FakeNamespaceState;
  readonly authServer: RunningGrpcServer;
  readonly namespaceServer: RunningGrpcServer;
  readonly gateway: RunningService & { httpUrl: string };
  /** Where the gateway puts its metrics (the platform serves its registry on the metrics port). */
  readonly metricsRegistry: Registry;
  request(method: string, path: string, options?: RequestOptions): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const logger = createLogger({ service: "gateway-test", level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const internalToken = generateInternalToken();
  const nats = await startNatsServer();
  const nc = await connectNats({ servers: nats.url, name: "gateway-test" });
  const auth = new FakeAuthState();
  const namespaces = new FakeNamespaceState();
  const grpcOptions = { host: "127.0.0.1", port: 0, internalToken, logger };
  const authServer = await startGrpcServer({
    ...grpcOptions,
    serviceName: "auth",
    services: [authServiceRegistration(auth)],
  });
  const namespaceServer = await startGrpcServer({
    ...grpcOptions,
    serviceName: "namespace",
    services: [namespaceServiceRegistration(namespaces)],
  });
  const config = loadGatewayConfig({
    GATEWAY_PORT: "0",
    AUTH_GRPC_URL: authServer.address,
    NAMESPACE_GRPC_URL: namespaceServer.address,
    // No acl-query fake: its routes are tested end to end; this server answers its health checks.
    ACL_QUERY_GRPC_URL: namespaceServer.address,
    WEBHOOK_GRPC_URL: namespaceServer.address,
    TIER_MIGRATOR_GRPC_URL: namespaceServer.address,
    MANIFEST_GRPC_URL: namespaceServer.address,
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: internalToken,
    GATEWAY_GRPC_DEADLINE: "3s",
    ...env,
  });
  const metricsRegistry = new Registry();
  const gateway = await startGateway({ config, logger, nc, metricsRegistry });
  const url = gateway.httpUrl;

  return {
    url,
    nc,
    nats,
    auth,
    namespaces,
    authServer,
    namespaceServer,
    gateway,
    metricsRegistry,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    async stop() {
      await gateway.stop();
      await Promise.all([authServer.shutdown(100), namespaceServer.shutdown(100)]);
      await nc.close();
      await nats.stop();
    },
  };
}
