export type { DestinationStream, Logger, LoggerOptions } from "./logger.js";
export { createLogger } from "./logger.js";
export { REDACT_PATHS, REDACTED, REDACTED_API_KEY, redactSecrets } from "./redact.js";
