import { join } from "node:path";
import { ConfigError } from "@strata/config";
import { describe, expect, it } from "vitest";
import { loadAclQueryConfig, storeLocationOf } from "./config.js";

const TOKEN = "x".repeat(32);

describe("acl-query config", () => {
  it("applies the documented defaults", () => {
    const config = loadAclQueryConfig({
      STRATA_INTERNAL_TOKEN: TOKEN,
      NAMESPACE_GRPC_URL: "127.0.0.1:50052",
    });
    expect(config).toMatchObject({
      ACL_QUERY_GRPC_HOST: "127.0.0.1",
      ACL_QUERY_GRPC_PORT: 50053,
      ACL_QUERY_GRPC_DEADLINE: 10_000,
      NAMESPACE_GRPC_URL: "127.0.0.1:50052",
    });
    expect(storeLocationOf(config)).toEqual({ kind: "sqlite", path: join(".strata", "acl-query.db") });
  });

  it("needs the namespace service's address, as host:port", () => {
    for (const env of [{}, { NAMESPACE_GRPC_URL: "http://namespace:50052" }]) {
      expect(() => loadAclQueryConfig({ STRATA_INTERNAL_TOKEN: TOKEN, ...env })).toThrow(ConfigError);
    }
  });
});
