// tier-migrator in its own process, for the tests that kill it (SIGKILL) or run two replicas.
// Configured by the environment like production; prints "ready <gRPC address>" once it serves.
import { connectNats } from "@strata/bus";
import { createLogger } from "@strata/logger";
import { loadTierMigratorConfig } from "../config.js";
import { startTierMigrator } from "../start.js";

const config = loadTierMigratorConfig();
const logger = createLogger({ service: "tier-migrator", level: config.LOG_LEVEL });
const nc = await connectNats({ servers: config.NATS_URL, name: "tier-migrator-child" });
const service = await startTierMigrator({ config, logger, nc });
process.stdout.write(`ready ${service.grpcAddress}\n`);
process.on("SIGTERM", () => {
  void service
    .stop()
    .then(() => nc.close())
    .then(() => process.exit(0));
});
