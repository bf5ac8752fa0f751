import type { ConsumerObserver } from "@strata/bus";
import {
  type GrpcServiceRegistration,
  type LocalServices,
  type RunningGrpcServer,
  startGrpcServer,
} from "@strata/grpc";
import type { Logger } from "@strata/logger";
import type { ServiceMetrics } from "@strata/metrics";
import type { NatsConnection } from "nats";
import type { RunningService } from "./running-service.js";
import type { ServiceRuntime } from "./service-runtime.js";

/** What every gRPC service's start function takes from its caller (a test or the launcher). */
export interface ServiceStartDeps<Config> {
  readonly config: Config;
  /** The caller names the service in its logger (main: createLogger({service}); launcher: a child). */
  readonly logger: Logger;
  readonly nc: NatsConnection;
  /** Tests move time; defaults to the system clock. */
  readonly clock?: () => Date;
  /** The launcher's registry of this process's servers (ADR 0010); none: every call over gRPC. */
  readonly localCalls?: LocalServices;
  /** The launcher's metrics for this service; none: nothing is measured. */
  readonly metrics?: ServiceMetrics;
}

/** The service's own part of its gRPC server: the rest comes from the start deps. */
export interface ServiceGrpcServerOptions {
  readonly serviceName: string;
  readonly host: string;
  readonly port: number;
  readonly internalToken: string;
  readonly services: ReadonlyArray<GrpcServiceRegistration>;
}

/** Starts a service's gRPC server with the caller's logger, in-process registry and call metrics. */
export function startServiceGrpcServer(
  deps: ServiceStartDeps<unknown>,
  options: ServiceGrpcServerOptions,
): Promise<RunningGrpcServer> {
  return startGrpcServer({
    ...options,
    logger: deps.logger,
    localCalls: deps.localCalls,
    ...(deps.metrics === undefined ? {} : { callObserver: deps.metrics.grpc }),
  });
}

/** The `observer` option of a service's consumers: the launcher's consumer metrics, if measured. */
export function consumerObserverOf(metrics: ServiceMetrics | undefined): {
  readonly observer?: ConsumerObserver;
} {
  return metrics === undefined ? {} : { observer: metrics.consumers };
}

/**
 * What a started gRPC service answers its caller: readiness is its runtime's, and `stop` runs the
 * service's own shutdown order once (later calls return the first call's promise).
 */
export function runningGrpcService(options: {
  readonly name: string;
  readonly server: Pick<RunningGrpcServer, "address">;
  readonly runtime: Pick<ServiceRuntime, "ready" | "readiness">;
  readonly stop: () => Promise<void>;
}): RunningService & { readonly grpcAddress: string } {
  let stopped: Promise<void> | undefined;
  return {
    name: options.name,
    grpcAddress: options.server.address,
    ready: options.runtime.ready,
    readiness: options.runtime.readiness,
    stop: () => {
      stopped ??= options.stop();
      return stopped;
    },
  };
}
