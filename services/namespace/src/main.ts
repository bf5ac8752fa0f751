// Standalone composition root: `tsx services/namespace/src/main.ts` (one namespace replica per process).
import { hostname } from "node:os";
import { connectNats } from "@strata/bus";
import { createLogger } from "@strata/logger";
import { initTelemetry } from "@strata/telemetry";
import { loadNamespaceConfig } from "./config.js";
import { startNamespaceService } from "./start.js";

const config = loadNamespaceConfig();
const telemetry = initTelemetry({
  serviceName: "strata-namespace",
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
    ? {}
    : { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }),
});
const logger = createLogger({ service: "namespace", level: config.LOG_LEVEL });
const nc = await connectNats({ servers: config.NATS_URL, name: `namespace@${hostname()}:${process.pid}` });
const service = await startNamespaceService({ config, logger, nc });
logger.info({ address: service.grpcAddress }, "namespace service started");

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
