// A dispatcher in its own process, for the tests that kill it (SIGKILL) or run two replicas.
// Configured by the environment like production; prints "ready <gRPC address>" once it serves.
import { connectNats } from "@strata/bus";
import { createLogger } from "@strata/logger";
import { loadWebhookDispatcherConfig } from "../config.js";
import { startWebhookDispatcher } from "../start.js";

const config = loadWebhookDispatcherConfig();
const logger = createLogger({ service: "webhook-dispatcher", level: config.LOG_LEVEL });
const nc = await connectNats({ servers: config.NATS_URL, name: "webhook-dispatcher-child" });
const service = await startWebhookDispatcher({ config, logger, nc });
process.stdout.write(`ready ${service.grpcAddress}\n`);
process.on("SIGTERM", () => {
  void service
    .stop()
    .then(() => nc.close())
    .then(() => process.exit(0));
});
