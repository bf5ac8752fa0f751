import { join } from "node:path";
import { ConfigError } from "@strata/config";
import { describe, expect, it } from "vitest";
import { loadNamespaceConfig, storeLocationOf } from "./config.js";

const TOKEN = "x".repeat(32);

describe("namespace config", () => {
  it("applies the documented defaults", () => {
    const config = loadNamespaceConfig({ STRATA_INTERNAL_TOKEN: TOKEN });
    expect(config).toMatchObject({
      NAMESPACE_GRPC_HOST: "127.0.0.1",
      NAMESPACE_GRPC_PORT: 50052,
      STRATA_DATA_DIR: ".strata",
      LOG_LEVEL: "info",
    });
    expect(storeLocationOf(config)).toEqual({ kind: "sqlite", path: join(".strata", "namespace.db") });
  });

  it("reads a MongoDB store and a random port", () => {
    const config = loadNamespaceConfig({
      STRATA_INTERNAL_TOKEN: TOKEN,
      NAMESPACE_GRPC_PORT: "0",
      NAMESPACE_STORE_URL: "mongodb://db:27017/?replicaSet=rs0",
      NAMESPACE_MONGO_DATABASE: "namespaces",
      NAMESPACE_SINGLE_REPLICA: "true",
    });
    expect(config.NAMESPACE_GRPC_PORT).toBe(0);
    expect(storeLocationOf(config)).toEqual({
      kind: "mongo",
      url: "mongodb://db:27017/?replicaSet=rs0",
      database: "namespaces",
    });
  });

  it("refuses a shared store with objects or vectors on the local disk, unless told it is one replica", () => {
    const shared = {
      STRATA_INTERNAL_TOKEN: TOKEN,
      NAMESPACE_STORE_URL: "mongodb://db:27017/?replicaSet=rs0",
    };
    let error: unknown;
    try {
      loadNamespaceConfig(shared);
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = error instanceof ConfigError ? error.issues : [];
    expect(issues.map((i) => i.variable).sort()).toEqual(["NAMESPACE_HOT_INDEX_URL", "STRATA_S3_BUCKET"]);
    expect(issues.map((i) => i.message).join("\n")).toMatch(/NAMESPACE_SINGLE_REPLICA=true/);

    const remote = { STRATA_S3_BUCKET: "objects", NAMESPACE_HOT_INDEX_URL: "http://qdrant:6333" };
    expect(loadNamespaceConfig({ ...shared, ...remote }).STRATA_S3_BUCKET).toBe("objects");
    expect(
      loadNamespaceConfig({ ...shared, NAMESPACE_SINGLE_REPLICA: "true" }).NAMESPACE_SINGLE_REPLICA,
    ).toBe(true);
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      loadNamespaceConfig({
        STRATA_INTERNAL_TOKEN: "short",
        NAMESPACE_STORE_URL: "postgres://x",
        NAMESPACE_GRPC_PORT: "70000",
      });
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = error instanceof ConfigError ? error.issues.map((i) => i.variable).sort() : [];
    expect(variables).toEqual(["NAMESPACE_GRPC_PORT", "NAMESPACE_STORE_URL", "STRATA_INTERNAL_TOKEN"]);
  });
});
