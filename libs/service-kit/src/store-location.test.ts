import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStoreUrl, resolveStoreLocation } from "./store-location.js";

describe("parseStoreUrl", () => {
  it("reads a SQLite path, keeping everything after the scheme", () => {
    expect(parseStoreUrl("sqlite:/var/lib/strata/auth.db", "db")).toEqual({
      kind: "sqlite",
      path: "/var/lib/strata/auth.db",
    });
    expect(parseStoreUrl("sqlite::memory:", "db")).toEqual({ kind: "sqlite", path: ":memory:" });
  });

  it("reads both MongoDB schemes with the given database", () => {
    expect(parseStoreUrl("mongodb://db:27017/?replicaSet=rs0", "strata_auth")).toEqual({
      kind: "mongo",
      url: "mongodb://db:27017/?replicaSet=rs0",
      database: "strata_auth",
    });
    expect(parseStoreUrl("mongodb+srv://cluster.example.com", "x")).toMatchObject({ kind: "mongo" });
  });

  it("refuses an empty SQLite path and other schemes", () => {
    expect(parseStoreUrl("sqlite:", "db")).toBeUndefined();
    expect(parseStoreUrl("postgres://x", "db")).toBeUndefined();
    expect(parseStoreUrl("/plain/path.db", "db")).toBeUndefined();
  });
});

describe("resolveStoreLocation", () => {
  const settings = {
    variable: "SVC_STORE_URL",
    dataDir: "/data",
    sqliteFile: "svc.db",
    mongoDatabase: "strata_svc",
  };

  it("defaults to a SQLite file in the data directory", () => {
    expect(resolveStoreLocation({ ...settings, url: undefined })).toEqual({
      kind: "sqlite",
      path: join("/data", "svc.db"),
    });
  });

  it("uses the configured URL", () => {
    expect(resolveStoreLocation({ ...settings, url: "mongodb://db" })).toEqual({
      kind: "mongo",
      url: "mongodb://db",
      database: "strata_svc",
    });
  });

  it("treats a URL the schema should have refused as a bug, naming the variable", () => {
    expect(() => resolveStoreLocation({ ...settings, url: "postgres://x" })).toThrow(/SVC_STORE_URL/);
  });
});
