export type { RunningService } from "@strata/service-kit";
export type { ManifestConfig, StoreLocation } from "./config.js";
export { loadManifestConfig, manifestConfigSchema, storeLocationOf } from "./config.js";
export type { Step, StepRunner } from "./domain/ports.js";
export { MANIFEST_SERVICE_NAME } from "./server.js";
export type { ManifestDeps, NatsConnection, RunningManifest } from "./start.js";
export { startManifest } from "./start.js";
