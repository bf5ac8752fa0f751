import { join } from "node:path";
import { ConfigError } from "@strata/config";
import { describe, expect, it } from "vitest";
import { loadAuthConfig, storeLocationOf } from "./config.js";

const TOKEN = "x".repeat(32);

describe("auth config", () => {
  it("applies the documented defaults", () => {
    const config = loadAuthConfig({ STRATA_INTERNAL_TOKEN: TOKEN, NAMESPACE_GRPC_URL: "namespace:50052" });
    expect(config).toMatchObject({
      AUTH_GRPC_HOST: "127.0.0.1",
      AUTH_GRPC_PORT: 50051,
      STRATA_DATA_DIR: ".strata",
      LOG_LEVEL: "info",
    });
    expect(config.AUTH_BOOTSTRAP_FILE).toBeUndefined();
    expect(storeLocationOf(config)).toEqual({ kind: "sqlite", path: join(".strata", "auth.db") });
  });

  it("reads a MongoDB store and a random port", () => {
    const config = loadAuthConfig({
      STRATA_INTERNAL_TOKEN: TOKEN,
      NAMESPACE_GRPC_URL: "namespace:50052",
      AUTH_GRPC_PORT: "0",
      AUTH_STORE_URL: "mongodb://db:27017/?replicaSet=rs0",
      AUTH_MONGO_DATABASE: "auth",
    });
    expect(config.AUTH_GRPC_PORT).toBe(0);
    expect(storeLocationOf(config)).toEqual({
      kind: "mongo",
      url: "mongodb://db:27017/?replicaSet=rs0",
      database: "auth",
    });
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      loadAuthConfig({
        STRATA_INTERNAL_TOKEN: "short",
        AUTH_STORE_URL: "postgres://x",
        AUTH_GRPC_PORT: "70000",
      });
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = error instanceof ConfigError ? error.issues.map((i) => i.variable).sort() : [];
    expect(variables).toEqual([
      "AUTH_GRPC_PORT",
      "AUTH_STORE_URL",
      "NAMESPACE_GRPC_URL",
      "STRATA_INTERNAL_TOKEN",
    ]);
  });
});
