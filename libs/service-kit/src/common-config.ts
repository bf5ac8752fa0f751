import { envLogLevel, envString, envUrl } from "@strata/config";

/**
 * The variables every service reads, to spread into its own zod schema
 * (`z.object({ ...ownFields, ...commonServiceFields })`), so the names, defaults and checks stay
 * the same across services and the platform launcher can set them once for all.
 */
export const commonServiceFields = {
  NATS_URL: envString({ default: "nats://127.0.0.1:4222" }),
  STRATA_INTERNAL_TOKEN: envString({ minLength: 32 }),
  LOG_LEVEL: envLogLevel("info"),
  STRATA_DATA_DIR: envString({ default: ".strata" }),
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl({ protocols: ["http", "https"] }).optional(),
};
