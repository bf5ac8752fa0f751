import { describe, expect, it } from "vitest";
import { loadPlatformConfig } from "./config.js";

const TOKEN = "t".repeat(40);

describe("loadPlatformConfig", () => {
  it("defaults to the embedded mode with every service, in dependency order", () => {
    const config = loadPlatformConfig({}, "/srv/app");
    expect(config.services).toEqual([
      "namespace",
      "auth",
      "acl-query",
      "webhook-dispatcher",
      "tier-migrator",
      "manifest",
      "gateway",
    ]);
    expect(config.dataDir).toBe("/srv/app/.strata");
    expect(config.httpPort).toBe(8080);
    expect(config.nats).toEqual({ mode: "embedded" });
    expect(config.logLevel).toBe("info");
    expect(config.otlpEndpoint).toBeUndefined();
  });

  it("serves metrics on 9464, loopback only when embedded and on every interface when distributed", () => {
    expect(loadPlatformConfig({}).metrics).toEqual({ host: "127.0.0.1", port: 9464 });
    const distributed = { NATS_URL: "nats://nats:4222", STRATA_INTERNAL_TOKEN: TOKEN };
    expect(loadPlatformConfig(distributed).metrics).toEqual({ host: "0.0.0.0", port: 9464 });
    expect(
      loadPlatformConfig({ ...distributed, STRATA_METRICS_HOST: "10.0.0.5", STRATA_METRICS_PORT: "9100" })
        .metrics,
    ).toEqual({ host: "10.0.0.5", port: 9100 });
    expect(() => loadPlatformConfig({ STRATA_METRICS_PORT: "70000" })).toThrow(/STRATA_METRICS_PORT/);
  });

  it("generates a fresh internal token per process in the embedded mode", () => {
    const a = loadPlatformConfig({});
    const b = loadPlatformConfig({});
    expect(a.internalTokenGenerated).toBe(true);
    expect(a.internalToken.length).toBeGreaterThanOrEqual(32);
    expect(a.internalToken).not.toBe(b.internalToken);
  });

  it("orders a selection by dependencies whatever order it is written in", () => {
    const config = loadPlatformConfig({
      STRATA_SERVICES: "gateway, acl-query,namespace ,manifest,webhook-dispatcher,tier-migrator,auth",
    });
    expect(config.services).toEqual([
      "namespace",
      "auth",
      "acl-query",
      "webhook-dispatcher",
      "tier-migrator",
      "manifest",
      "gateway",
    ]);
  });

  it("rejects an unknown service name", () => {
    expect(() => loadPlatformConfig({ STRATA_SERVICES: "auth,billing" })).toThrow(/STRATA_SERVICES/);
  });

  it("requires the internal token when NATS_URL is set", () => {
    expect(() => loadPlatformConfig({ NATS_URL: "nats://nats:4222" })).toThrow(/STRATA_INTERNAL_TOKEN/);
    const config = loadPlatformConfig({ NATS_URL: "nats://nats:4222", STRATA_INTERNAL_TOKEN: TOKEN });
    expect(config.nats).toEqual({ mode: "external", url: "nats://nats:4222" });
    expect(config.internalToken).toBe(TOKEN);
    expect(config.internalTokenGenerated).toBe(false);
  });

  it("rejects a short internal token", () => {
    expect(() => loadPlatformConfig({ STRATA_INTERNAL_TOKEN: "short" })).toThrow(/STRATA_INTERNAL_TOKEN/);
  });

  it("needs the address of every service the gateway uses that runs elsewhere", () => {
    const base = { STRATA_SERVICES: "gateway", NATS_URL: "nats://n:4222", STRATA_INTERNAL_TOKEN: TOKEN };
    expect(() => loadPlatformConfig(base)).toThrow(
      /AUTH_GRPC_URL[\s\S]*NAMESPACE_GRPC_URL|NAMESPACE_GRPC_URL[\s\S]*AUTH_GRPC_URL/,
    );
    const config = loadPlatformConfig({
      ...base,
      AUTH_GRPC_URL: "auth:50051",
      NAMESPACE_GRPC_URL: "namespace:50052",
      ACL_QUERY_GRPC_URL: "acl-query:50053",
      WEBHOOK_GRPC_URL: "webhook-dispatcher:50054",
      TIER_MIGRATOR_GRPC_URL: "tier-migrator:50055",
      MANIFEST_GRPC_URL: "manifest:50056",
    });
    expect(config.remoteAddresses).toEqual({
      auth: "auth:50051",
      namespace: "namespace:50052",
      "acl-query": "acl-query:50053",
      "webhook-dispatcher": "webhook-dispatcher:50054",
      "tier-migrator": "tier-migrator:50055",
      manifest: "manifest:50056",
    });
    // acl-query calls the namespace service too.
    expect(() => loadPlatformConfig({ ...base, STRATA_SERVICES: "acl-query" })).toThrow(/NAMESPACE_GRPC_URL/);
    // So does the webhook dispatcher (is a deleted namespace really gone?).
    expect(() => loadPlatformConfig({ ...base, STRATA_SERVICES: "webhook-dispatcher" })).toThrow(
      /NAMESPACE_GRPC_URL/,
    );
    // And tier-migrator (its TierService moves the documents).
    expect(() => loadPlatformConfig({ ...base, STRATA_SERVICES: "tier-migrator" })).toThrow(
      /NAMESPACE_GRPC_URL/,
    );
  });

  it("treats empty variables as unset and keeps an absolute data dir", () => {
    const config = loadPlatformConfig({
      NATS_URL: "",
      OTEL_EXPORTER_OTLP_ENDPOINT: "",
      STRATA_DATA_DIR: "/var/lib/strata",
    });
    expect(config.nats).toEqual({ mode: "embedded" });
    expect(config.otlpEndpoint).toBeUndefined();
    expect(config.dataDir).toBe("/var/lib/strata");
  });

  it("takes the distributed mode's NATS user and password together, never one alone", () => {
    const distributed = { NATS_URL: "nats://nats:4222", STRATA_INTERNAL_TOKEN: TOKEN };
    const config = loadPlatformConfig({
      ...distributed,
      NATS_USER: "strata-auth",
      NATS_PASSWORD: "p".repeat(24),
    });
    expect(config.nats).toEqual({
      mode: "external",
      url: "nats://nats:4222",
      credentials: { user: "strata-auth", password: "p".repeat(24) },
    });
    expect(() => loadPlatformConfig({ ...distributed, NATS_USER: "strata-auth" })).toThrow(/NATS_PASSWORD/);
    expect(() => loadPlatformConfig({ ...distributed, NATS_PASSWORD: "x" })).toThrow(/NATS_USER/);
  });
});
