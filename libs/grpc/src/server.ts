import * as grpc from "@grpc/grpc-js";
import type { Logger } from "@strata/logger";
import { HealthImplementation, type ServingStatus } from "grpc-health-check";
import { InternalTokenVerifier } from "./internal-auth.js";
import { MAX_MESSAGE_BYTES } from "./limits.js";
import type { LocalServices } from "./local-calls.js";
import { type GrpcCallObserver, wrapImplementation } from "./server-wrapper.js";

export interface GrpcServiceRegistration {
  /** Full proto service name, e.g. "strata.auth.v1.AuthService"; also its health-check name. */
  readonly name: string;
  readonly definition: grpc.ServiceDefinition;
  readonly implementation: grpc.UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  /** For logs, e.g. "auth". */
  readonly serviceName: string;
  readonly host: string;
  /** 0 picks a free port; read it back from RunningGrpcServer.port. */
  readonly port: number;
  /** Every call except health checks must present it in `x-strata-internal-token`. */
  readonly internalToken: string;
  readonly services: ReadonlyArray<GrpcServiceRegistration>;
  readonly logger: Logger;
  /** The process's registry of local servers (local-calls.ts): this server's unary methods join it. */
  readonly localCalls?: LocalServices;
  /** Told about every answered call, local ones included (the process's metrics). */
  readonly callObserver?: GrpcCallObserver;
}

export interface RunningGrpcServer {
  readonly port: number;
  /** host:port actually bound, ready for a client constructor. */
  readonly address: string;
  /** Flips the health status of "" and of every registered service. */
  setServing(serving: boolean): void;
  /** NOT_SERVING at once, then lets calls in flight finish for graceMs before cutting them. */
  shutdown(graceMs?: number): Promise<void>;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/** Server-side channel settings matching createChannelOptions() on the client side. */
export const SERVER_CHANNEL_OPTIONS: grpc.ServerOptions = {
  "grpc.keepalive_time_ms": 30_000,
  "grpc.keepalive_timeout_ms": 10_000,
  // Clients ping idle channels (createChannelOptions); accept that instead of answering GOAWAY.
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.http2.min_ping_interval_without_data_ms": 10_000,
  // The caller travels in metadata with its compiled ACL filter (ADR 0018), which can pass
  // grpc-js's 8 KiB default for a principal with many roles in a namespace with many rules.
  "grpc.max_metadata_size": 256 * 1024,
  "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
};

/**
 * Starts a gRPC server with `grpc.health.v1.Health` and every registered service wrapped by the
 * internal-token check, a SERVER span per call and failure logging (see server-wrapper.ts).
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const verifier = new InternalTokenVerifier(options.internalToken);
  const logger = options.logger.child({ component: "grpc-server" });
  const server = new grpc.Server(SERVER_CHANNEL_OPTIONS);

  const healthNames = ["", ...options.services.map((service) => service.name)];
  const health = new HealthImplementation(
    Object.fromEntries(healthNames.map((name) => [name, "NOT_SERVING" satisfies ServingStatus])),
  );
  // Health checks stay outside the token check: load balancers and probes have no token.
  health.addToServer(server);
  const wrapped = options.services.map((service) => ({
    definition: service.definition,
    implementation: wrapImplementation(
      service.definition,
      service.implementation,
      verifier,
      logger,
      options.callObserver,
    ),
  }));
  for (const { definition, implementation } of wrapped) server.addService(definition, implementation);

  const port = await bind(server, `${hostForAddress(options.host)}:${options.port}`);
  const address = `${hostForAddress(options.host)}:${port}`;
  // Clients in this process may answer unary calls here without the network (local-calls.ts).
  for (const { definition, implementation } of wrapped)
    options.localCalls?.register(address, definition, implementation);
  let shuttingDown = false;
  const setServing = (serving: boolean): void => {
    const status: ServingStatus = serving && !shuttingDown ? "SERVING" : "NOT_SERVING";
    for (const name of healthNames) health.setStatus(name, status);
  };
  setServing(true);
  logger.info({ address, services: healthNames.slice(1) }, "gRPC server listening");

  let stopped: Promise<void> | undefined;
  return {
    port,
    address,
    setServing,
    shutdown(graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<void> {
      stopped ??= stop(server, graceMs, () => {
        options.localCalls?.unregister(address);
        setServing(false);
        shuttingDown = true;
      }).then(() => logger.info({ address }, "gRPC server stopped"));
      return stopped;
    },
  };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) reject(new Error(`Cannot bind the gRPC server to ${address}: ${error.message}`));
      else resolve(port);
    });
  });
}

function stop(server: grpc.Server, graceMs: number, markNotServing: () => void): Promise<void> {
  markNotServing();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // Calls still running after the grace period (and health watch streams) are cut.
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** IPv6 literals need brackets in a host:port address. */
function hostForAddress(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
