import { ConfigError, envPort, loadConfig } from "@strata/config";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { commonServiceFields } from "./common-config.js";
import { storeUrlField } from "./store-location.js";

// A service schema built the way auth and namespace build theirs.
const schema = z.object({
  SVC_GRPC_PORT: envPort(50099),
  SVC_STORE_URL: storeUrlField(),
  ...commonServiceFields,
});

const TOKEN = "t".repeat(32);

describe("commonServiceFields", () => {
  it("applies the shared defaults next to the service's own fields", () => {
    const config = loadConfig(schema, { STRATA_INTERNAL_TOKEN: TOKEN });
    expect(config).toEqual({
      SVC_GRPC_PORT: 50099,
      SVC_STORE_URL: undefined,
      NATS_URL: "nats://127.0.0.1:4222",
      NATS_USER: undefined,
      NATS_PASSWORD: undefined,
      STRATA_INTERNAL_TOKEN: TOKEN,
      LOG_LEVEL: "info",
      STRATA_DATA_DIR: ".strata",
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      STRATA_STORE_REENTRY_CHECK: false,
    });
  });

  it("reads the shared variables when set", () => {
    const config = loadConfig(schema, {
      STRATA_INTERNAL_TOKEN: TOKEN,
      NATS_URL: "nats://a:4222,nats://b:4222",
      LOG_LEVEL: "debug",
      STRATA_DATA_DIR: "/srv/strata",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      SVC_STORE_URL: "sqlite:/srv/strata/svc.db",
      STRATA_STORE_REENTRY_CHECK: "true",
    });
    expect(config).toMatchObject({
      STRATA_STORE_REENTRY_CHECK: true,
      NATS_URL: "nats://a:4222,nats://b:4222",
      LOG_LEVEL: "debug",
      STRATA_DATA_DIR: "/srv/strata",
      SVC_STORE_URL: "sqlite:/srv/strata/svc.db",
    });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\/collector:4318/);
  });

  it("reports every bad shared variable and a bad store URL at once", () => {
    let error: unknown;
    try {
      loadConfig(schema, {
        LOG_LEVEL: "loud",
        OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://collector",
        SVC_STORE_URL: "postgres://x",
      });
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = error instanceof ConfigError ? error.issues.map((i) => i.variable).sort() : [];
    expect(variables).toEqual([
      "LOG_LEVEL",
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "STRATA_INTERNAL_TOKEN",
      "SVC_STORE_URL",
    ]);
  });
});
