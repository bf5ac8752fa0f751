import { hostname } from "node:os";
import { connectNats } from "@strata/bus";
import { createLogger, type Logger } from "@strata/logger";
import { initTelemetry } from "@strata/telemetry";
import type { NatsConnection } from "nats";
import type { CommonServiceConfig } from "./common-config.js";
import type { RunningService } from "./running-service.js";

export interface StandaloneOptions<C extends CommonServiceConfig> {
  /** The service's name: logger `service` field, `strata-<service>` in traces, NATS client name. */
  readonly service: string;
  readonly loadConfig: () => C;
  readonly start: (deps: { config: C; logger: Logger; nc: NatsConnection }) => Promise<RunningService>;
}

/**
 * The standalone composition root (one replica per process): config → telemetry → logger → NATS →
 * start, then drain on SIGTERM/SIGINT. The embedded launcher composes services its own way.
 */
export async function runStandalone<C extends CommonServiceConfig>(
  options: StandaloneOptions<C>,
): Promise<void> {
  const { service: name } = options;
  const config = options.loadConfig();
  const telemetry = initTelemetry({
    serviceName: `strata-${name}`,
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
      ? {}
      : { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }),
  });
  const logger = createLogger({ service: name, level: config.LOG_LEVEL });
  const nc = await connectNats({
    servers: config.NATS_URL,
    name: `${name}@${hostname()}:${process.pid}`,
    credentials:
      config.NATS_USER === undefined || config.NATS_PASSWORD === undefined
        ? undefined
        : { user: config.NATS_USER, password: config.NATS_PASSWORD },
  });
  const service = await options.start({ config, logger, nc });
  logger.info({ address: service.grpcAddress }, `${name} service started`);

  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "draining");
    try {
      // Stop taking calls and finish those in flight, publish pending events, then leave NATS.
      await service.stop();
      await nc.drain();
      await telemetry.shutdown();
      process.exit(0);
    } catch (error: unknown) {
      logger.error({ err: error }, "unclean shutdown");
      process.exit(1);
    }
  }
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}
