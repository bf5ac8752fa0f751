export type { Env, PlatformConfig, ServiceName } from "./config.js";
export { loadPlatformConfig, platformConfigSchema, SERVICE_NAMES } from "./config.js";
export { type LauncherOptions, runLauncher } from "./launcher.js";
export type { NatsPermissions } from "./nats-authorization.js";
export {
  distributedNatsAuthorization,
  NATS_PERMISSIONS,
  natsAuthorizationBlock,
  natsPasswordVariableOf,
  natsUserOf,
} from "./nats-authorization.js";
export type { NatsChild, StartNatsChildOptions } from "./nats-child.js";
export { findNatsServer, startNatsChild } from "./nats-child.js";
export type { Platform, StartPlatformOptions } from "./platform.js";
export { startPlatform } from "./platform.js";
export type { RunningService } from "./service-starters.js";
