import { ConfigError } from "@strata/config";
import { describe, expect, it } from "vitest";
import { loadGatewayConfig, settingsOf } from "./config.js";

const base = {
  AUTH_GRPC_URL: "127.0.0.1:50051",
  NAMESPACE_GRPC_URL: "namespace:50052",
  ACL_QUERY_GRPC_URL: "acl-query:50053",
  WEBHOOK_GRPC_URL: "webhook-dispatcher:50054",
  TIER_MIGRATOR_GRPC_URL: "tier-migrator:50055",
  MANIFEST_GRPC_URL: "manifest:50056",
  STRATA_INTERNAL_TOKEN: "x".repeat(32),
};

describe("gateway configuration", () => {
  it("applies the defaults", () => {
    expect(settingsOf(loadGatewayConfig(base))).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      bodyLimitBytes: 1024 * 1024,
      rateLimit: { max: 6000, windowMs: 60_000 },
      authCacheTtlMs: 30_000,
      logLevel: "info",
    });
  });

  it("prefers GATEWAY_PORT to STRATA_HTTP_PORT and parses durations", () => {
    const settings = settingsOf(
      loadGatewayConfig({
        ...base,
        GATEWAY_PORT: "0",
        STRATA_HTTP_PORT: "9000",
        GATEWAY_RATE_LIMIT_WINDOW: "250ms",
        GATEWAY_AUTH_CACHE_TTL: "2m",
      }),
    );
    expect(settings).toMatchObject({ port: 0, rateLimit: { windowMs: 250 }, authCacheTtlMs: 120_000 });
    expect(settingsOf(loadGatewayConfig({ ...base, STRATA_HTTP_PORT: "9000" })).port).toBe(9000);
  });

  it("reports every problem at once", () => {
    let error: unknown;
    try {
      loadGatewayConfig({
        AUTH_GRPC_URL: "http://auth",
        STRATA_INTERNAL_TOKEN: "short",
        GATEWAY_RATE_LIMIT_WINDOW: "soon",
      });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual([
      "ACL_QUERY_GRPC_URL",
      "AUTH_GRPC_URL",
      "GATEWAY_RATE_LIMIT_WINDOW",
      "MANIFEST_GRPC_URL",
      "NAMESPACE_GRPC_URL",
      "STRATA_INTERNAL_TOKEN",
      "TIER_MIGRATOR_GRPC_URL",
      "WEBHOOK_GRPC_URL",
    ]);
  });
});
