import { join } from "node:path";
import { ConfigError } from "@strata/config";
import { type ObjectStore, openFsObjectStore, openS3ObjectStore } from "@strata/objectstore";
import type { NamespaceConfig } from "../../config.js";

/** Where bucket objects' bytes live. */
export type ObjectStoreLocation =
  | { readonly kind: "fs"; readonly root: string }
  | {
      readonly kind: "s3";
      readonly bucket: string;
      readonly region: string;
      readonly endpoint: string | undefined;
      readonly forcePathStyle: boolean;
      /** Undefined: the AWS SDK's default chain (environment, profile, instance role). */
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
    };

/** Everything this service keeps in a shared S3 bucket sits under this prefix. */
const S3_PREFIX = "namespace/";

/** STRATA_S3_BUCKET set: that bucket; otherwise files under `<STRATA_DATA_DIR>/namespace/objects`. */
export function objectStoreLocationOf(config: NamespaceConfig): ObjectStoreLocation {
  if (config.STRATA_S3_BUCKET === undefined) {
    return { kind: "fs", root: join(config.STRATA_DATA_DIR, "namespace", "objects") };
  }
  const keyId = config.STRATA_S3_ACCESS_KEY_ID;
  const secret = config.STRATA_S3_SECRET_ACCESS_KEY;
  if ((keyId === undefined) !== (secret === undefined)) {
    throw new ConfigError([
      {
        variable: keyId === undefined ? "STRATA_S3_ACCESS_KEY_ID" : "STRATA_S3_SECRET_ACCESS_KEY",
        message: "set both STRATA_S3_ACCESS_KEY_ID and STRATA_S3_SECRET_ACCESS_KEY, or neither",
      },
    ]);
  }
  return {
    kind: "s3",
    bucket: config.STRATA_S3_BUCKET,
    region: config.STRATA_S3_REGION,
    endpoint: config.STRATA_S3_ENDPOINT,
    forcePathStyle: config.STRATA_S3_FORCE_PATH_STYLE,
    credentials:
      keyId === undefined || secret === undefined
        ? undefined
        : { accessKeyId: keyId, secretAccessKey: secret },
  };
}

export async function openObjectStore(location: ObjectStoreLocation): Promise<ObjectStore> {
  if (location.kind === "fs") return openFsObjectStore({ root: location.root });
  return openS3ObjectStore({
    bucket: location.bucket,
    prefix: S3_PREFIX,
    region: location.region,
    forcePathStyle: location.forcePathStyle,
    ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint }),
    ...(location.credentials === undefined ? {} : { credentials: location.credentials }),
  });
}
