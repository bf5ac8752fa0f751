import { envBool, envLogLevel, envString, envUrl } from "@strata/config";

/**
 * The variables every service reads, to spread into its own zod schema
 * (`z.object({ ...ownFields, ...commonServiceFields })`), so the names, defaults and checks stay
 * the same across services and the platform launcher can set them once for all.
 */
export const commonServiceFields = {
  NATS_URL: envString({ default: "nats://127.0.0.1:4222" }),
  /** The service's NATS user and password (a server requiring auth refuses anonymous clients). */
  NATS_USER: envString().optional(),
  NATS_PASSWORD: envString().optional(),
  STRATA_INTERNAL_TOKEN: envString({ minLength: 32 }),
  LOG_LEVEL: envLogLevel("info"),
  STRATA_DATA_DIR: envString({ default: ".strata" }),
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl({ protocols: ["http", "https"] }).optional(),
  /**
   * The embedded (SQLite) store throws when it is used inside its own transaction instead of
   * deadlocking. Off by default: on Node 20 the check costs every promise in the process (ADR 0043);
   * the test suite turns it on.
   */
  STRATA_STORE_REENTRY_CHECK: envBool(false),
};
