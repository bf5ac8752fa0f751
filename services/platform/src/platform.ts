import { existsSync } from "node:fs";
import { connectNats, ensureEventStream } from "@strata/bus";
import { LocalServices } from "@strata/grpc";
import { createLogger, type Logger } from "@strata/logger";
import { createProcessMetrics, type MetricsListener, startMetricsListener } from "@strata/metrics";
import { initTelemetry, type Telemetry } from "@strata/telemetry";
import { type Env, loadPlatformConfig, type PlatformConfig, type ServiceName } from "./config.js";
import { secureDataDir } from "./data-dir.js";
import { openNats } from "./embedded-nats.js";
import type { NatsChild } from "./nats-child.js";
import { processReadiness } from "./process-readiness.js";
import { type NatsConnection, type RunningService, startService } from "./service-starters.js";

export interface StartPlatformOptions {
  /** Called once if something the platform cannot live without dies (the nats-server child). */
  readonly onFatal?: (error: Error) => void;
  /** Defaults to the current directory; STRATA_DATA_DIR is resolved against it. */
  readonly cwd?: string;
  /**
   * Awaited by every clone of the namespace service run here after it copied everything, before
   * it commits. Only a caller in code can set it (no variable does): e2e tests hold a clone
   * running with it, to watch its 409s, progress, cancel or a kill.
   */
  readonly beforeCloneCommit?: () => Promise<void>;
}

export interface Platform {
  /** Present when the gateway runs in this process. */
  readonly gatewayUrl?: string;
  /** The operator's listener (STRATA_METRICS_PORT): `${metricsUrl}/metrics` and `/readyz`. */
  readonly metricsUrl: string;
  /** The NATS the services connect to (embedded: the child's; it requires each service's user). */
  readonly natsUrl: string;
  /** The first admin key's file (`<data dir>/bootstrap.json`) when auth runs here and it exists; never logged. */
  readonly bootstrapFile?: string;
  /** True when the auth service created the first organization on this start. */
  readonly bootstrappedNow: boolean;
  readonly config: PlatformConfig;
  readonly services: readonly RunningService[];
  /** Stops in reverse start order (gateway first), drains NATS, stops the nats-server child. */
  stop(): Promise<void>;
}

interface Started {
  readonly service: RunningService;
  readonly nc: NatsConnection;
}

/**
 * Starts the selected services the way `npm start` does: embedded (no NATS_URL: a private
 * nats-server child, SQLite under the data dir) or one slice of the distributed mode.
 */
export async function startPlatform(
  env: Env = process.env,
  options: StartPlatformOptions = {},
): Promise<Platform> {
  const config = loadPlatformConfig(env, options.cwd);
  const telemetry = initTelemetry({
    serviceName: config.services.length === 1 ? `strata-${config.services[0]}` : "strata",
    ...(config.otlpEndpoint === undefined ? {} : { otlpEndpoint: config.otlpEndpoint }),
  });
  const logger = createLogger({ service: "platform", level: config.logLevel });
  await secureDataDir(config.dataDir, logger);

  const started: Started[] = [];
  let natsChild: NatsChild | undefined;
  let metricsListener: MetricsListener | undefined;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await attempt(logger, "close the metrics listener", async () => metricsListener?.close());
    await stopAll(started, natsChild, telemetry, logger);
  };
  // One registry for every service of this process, each series labelled by its service.
  const metrics = createProcessMetrics();

  try {
    // First: a port already taken fails the start before anything else is started.
    metricsListener = await startMetricsListener({
      registry: metrics.registry,
      ...config.metrics,
      readiness: () => processReadiness(started.map((s) => s.service)),
    });
    logger.info({ url: metricsListener.url }, "metrics listening (/metrics, /readyz)");
    const nats = await openNats(config, logger);
    natsChild = nats.child;
    const natsUrl = nats.url;
    if (natsChild !== undefined) watchNatsChild(natsChild, logger, options.onFatal);

    // One registry per platform: its servers answer its clients' unary calls in-process (ADR 0010).
    const localCalls = config.localCalls ? new LocalServices() : undefined;
    const byName = new Map<ServiceName, RunningService>();
    for (const name of config.services) {
      const nc = await connectNats({
        servers: natsUrl,
        name: `strata-${name}`,
        credentials: nats.credentialsOf(name),
      });
      if (started.length === 0) await ensureEventStream(nc, { replicas: config.streamReplicas });
      const serviceLogger = createLogger({ service: name, level: config.logLevel });
      const service = await startService(name, {
        config,
        natsUrl,
        logger: serviceLogger,
        nc,
        beforeCloneCommit: options.beforeCloneCommit,
        started: byName,
        localCalls,
        metrics: metrics.forService(name, nc),
      }).catch(async (e: unknown) => {
        await nc.close();
        throw e;
      });
      started.push({ service, nc });
      byName.set(name, service);
      logger.info({ started: name, grpc: service.grpcAddress, http: service.httpUrl }, "service started");
    }

    // Only where auth runs: another container's file is not on this machine.
    const bootstrapFile =
      byName.has("auth") && existsSync(config.bootstrapFile) ? config.bootstrapFile : undefined;
    const gatewayUrl = byName.get("gateway")?.httpUrl;
    return {
      ...(gatewayUrl === undefined ? {} : { gatewayUrl }),
      natsUrl,
      metricsUrl: metricsListener.url,
      ...(bootstrapFile === undefined ? {} : { bootstrapFile }),
      bootstrappedNow: byName.get("auth")?.bootstrap !== undefined,
      config,
      services: started.map((s) => s.service),
      stop,
    };
  } catch (e) {
    logger.error({ err: e instanceof Error ? e.message : String(e) }, "start failed; stopping what started");
    await stop();
    throw e;
  }
}

/** The embedded NATS is part of the platform: if it dies, nothing can publish or consume. */
function watchNatsChild(
  child: NatsChild,
  logger: Logger,
  onFatal: ((error: Error) => void) | undefined,
): void {
  void child.exited.then(({ code, signal, expected }) => {
    if (expected) return;
    const error = new Error(
      `the embedded nats-server (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`}); ` +
        "Strata cannot run without it. Its log is at debug level (LOG_LEVEL=debug).",
    );
    logger.fatal({ code, signal }, error.message);
    onFatal?.(error);
  });
}

async function stopAll(
  started: Started[],
  natsChild: NatsChild | undefined,
  telemetry: Telemetry,
  logger: Logger,
): Promise<void> {
  // Reverse order: the gateway stops taking requests before the services behind it go away.
  for (const { service, nc } of [...started].reverse()) {
    await attempt(logger, `stop ${service.name}`, () => service.stop());
    await attempt(logger, `drain NATS of ${service.name}`, () => drain(nc));
  }
  started.length = 0;
  if (natsChild !== undefined) await attempt(logger, "stop nats-server", () => natsChild.stop());
  await attempt(logger, "flush telemetry", () => telemetry.shutdown());
  logger.info("stopped");
}

async function drain(nc: NatsConnection): Promise<void> {
  if (nc.isClosed()) return;
  // drain() flushes pending publishes and lets subscriptions finish; it rejects on a dead link.
  await nc.drain().catch(() => nc.close());
}

async function attempt(logger: Logger, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    // Keep stopping the rest: one failing service must not leave the others (or nats-server) running.
    logger.error({ err: e instanceof Error ? e.message : String(e) }, `${what} failed`);
  }
}
