export type { RunningService } from "@strata/service-kit";
export type { AuthConfig, StoreLocation } from "./config.js";
export { authConfigSchema, loadAuthConfig, storeLocationOf } from "./config.js";
export type { BootstrapCredentials } from "./domain/bootstrap.js";
export { AUTH_SERVICE_NAME } from "./server.js";
export type { AuthServiceDeps, NatsConnection, RunningAuthService } from "./start.js";
export { startAuthService } from "./start.js";
