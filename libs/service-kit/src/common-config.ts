import { envLogLevel, envString, envUrl } from "@strata/config";

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
};

/** What `runStandalone` reads from any service config built with `commonServiceFields`. */
export interface CommonServiceConfig {
  readonly NATS_URL: string;
  readonly NATS_USER?: string | undefined;
  readonly NATS_PASSWORD?: string | undefined;
  readonly LOG_LEVEL: string;
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
}
