export type { RunningService } from "@strata/service-kit";
export type { StoreLocation, TierMigratorConfig } from "./config.js";
export { loadTierMigratorConfig, storeLocationOf, tierMigratorConfigSchema } from "./config.js";
export type { Clock, TierMover } from "./domain/ports.js";
export { TIERING_SERVICE_NAME } from "./server.js";
export type { NatsConnection, RunningTierMigrator, TierMigratorDeps } from "./start.js";
export { startTierMigrator } from "./start.js";
