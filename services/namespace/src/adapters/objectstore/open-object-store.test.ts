import { join } from "node:path";
import { ConfigError } from "@strata/config";
import { describe, expect, it } from "vitest";
import { loadNamespaceConfig } from "../../config.js";
import { objectStoreLocationOf } from "./open-object-store.js";

const TOKEN = "x".repeat(32);

describe("object store location", () => {
  it("keeps objects under the data dir by default, with a 100 MiB object limit", () => {
    const config = loadNamespaceConfig({ STRATA_INTERNAL_TOKEN: TOKEN, STRATA_DATA_DIR: "/srv/strata" });
    expect(objectStoreLocationOf(config)).toEqual({
      kind: "fs",
      root: join("/srv/strata", "namespace", "objects"),
    });
    expect(config.NAMESPACE_MAX_OBJECT_BYTES).toBe(100 * 1024 * 1024);
  });

  it("uses S3 when a bucket is named, with the SDK's credentials unless both keys are set", () => {
    const base = { STRATA_INTERNAL_TOKEN: TOKEN, STRATA_S3_BUCKET: "strata-objects" };
    expect(objectStoreLocationOf(loadNamespaceConfig(base))).toEqual({
      kind: "s3",
      bucket: "strata-objects",
      region: "us-east-1",
      endpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
    });
    const minio = loadNamespaceConfig({
      ...base,
      STRATA_S3_ENDPOINT: "http://minio:9000",
      STRATA_S3_FORCE_PATH_STYLE: "true",
      STRATA_S3_ACCESS_KEY_ID: "id",
      STRATA_S3_SECRET_ACCESS_KEY: "secret",
    });
    expect(objectStoreLocationOf(minio)).toMatchObject({
      endpoint: "http://minio:9000",
      forcePathStyle: true,
      credentials: { accessKeyId: "id", secretAccessKey: "secret" },
    });
    const half = loadNamespaceConfig({ ...base, STRATA_S3_ACCESS_KEY_ID: "id" });
    expect(() => objectStoreLocationOf(half)).toThrow(ConfigError);
  });

  it("refuses a limit that is not a positive integer", () => {
    expect(() =>
      loadNamespaceConfig({ STRATA_INTERNAL_TOKEN: TOKEN, NAMESPACE_MAX_OBJECT_BYTES: "0" }),
    ).toThrow(ConfigError);
  });
});
