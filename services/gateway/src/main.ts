// Standalone composition root of the gateway (a container runs this; the embedded launcher calls
// startGateway directly).
import { connectNats } from "@strata/bus";
import { createLogger } from "@strata/logger";
import { initTelemetry } from "@strata/telemetry";
import { loadGatewayConfig } from "./config.js";
import { startGateway } from "./start.js";

const config = loadGatewayConfig();
const telemetry = initTelemetry({
  serviceName: "strata-gateway",
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
    ? {}
    : { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }),
});
const logger = createLogger({ service: "gateway", level: config.LOG_LEVEL });
const nc = await connectNats({ servers: config.NATS_URL, name: "strata-gateway" });
const gateway = await startGateway({ config, logger, nc });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "stopping: finishing requests in flight");
  try {
    await gateway.stop();
    await nc.drain();
    await telemetry.shutdown();
  } catch (error: unknown) {
    logger.error({ err: error }, "unclean stop");
    process.exitCode = 1;
  }
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => void shutdown(signal));
}
