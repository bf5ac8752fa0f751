export type { LogLevel } from "./fields.js";
export {
  envBool,
  envDurationMs,
  envEnum,
  envHostPort,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envString,
  envUrl,
  LOG_LEVELS,
} from "./fields.js";
export type { ConfigIssue, Env } from "./load-config.js";
export { ConfigError, loadConfig } from "./load-config.js";
