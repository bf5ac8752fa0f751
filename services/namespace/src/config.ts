import { join } from "node:path";
import { type Env, envBool, envInt, envPort, envString, envUrl, loadConfig } from "@strata/config";
import {
  commonServiceFields,
  resolveStoreLocation,
  type StoreLocation,
  storeUrlField,
} from "@strata/service-kit";
import { z } from "zod";

export type { StoreLocation };

/** The namespace service's variables (parse with loadConfig, or build one in a test). */
export const namespaceConfigSchema = z
  .object({
    NAMESPACE_GRPC_HOST: envString({ default: "127.0.0.1" }),
    /** 0 picks a free port (the embedded launcher does). */
    NAMESPACE_GRPC_PORT: envPort(50052),
    /** Default `sqlite:<STRATA_DATA_DIR>/namespace.db`. */
    NAMESPACE_STORE_URL: storeUrlField(),
    NAMESPACE_MONGO_DATABASE: envString({ default: "strata_namespace" }),
    /** The largest object an upload may store; larger uploads are refused while they stream in. */
    NAMESPACE_MAX_OBJECT_BYTES: envInt(100 * 1024 * 1024, { min: 1, max: 5 * 1024 ** 3 }),
    /** How many namespaces (clones included) one organization may hold before a clone is refused. */
    NAMESPACE_MAX_PER_ORGANIZATION: envInt(100, { min: 1, max: 1_000_000 }),
    /** For tests only: while this file exists, a clone waits before it commits (observe it running). */
    /**
     * Where bucket objects' bytes live: unset = files under `<STRATA_DATA_DIR>/namespace/objects`;
     * set = this S3 bucket (credentials from the AWS SDK's default chain unless the two keys are set).
     */
    STRATA_S3_BUCKET: envString().optional(),
    STRATA_S3_REGION: envString({ default: "us-east-1" }),
    /** An S3-compatible server (MinIO); unset = AWS. */
    STRATA_S3_ENDPOINT: envUrl({ protocols: ["http", "https"] }).optional(),
    /** Path-style URLs, which MinIO and most S3-compatible servers need. */
    STRATA_S3_FORCE_PATH_STYLE: envBool(false),
    STRATA_S3_ACCESS_KEY_ID: envString().optional(),
    STRATA_S3_SECRET_ACCESS_KEY: envString().optional(),
    /**
     * Where the hot tier's vectors live: unset = the embedded index in
     * `<STRATA_DATA_DIR>/namespace-hot-index` (one process only); an http(s) URL = that Qdrant.
     */
    NAMESPACE_HOT_INDEX_URL: envUrl({ protocols: ["http", "https"] }).optional(),
    QDRANT_API_KEY: envString().optional(),
    /**
     * The warm tier (ADR 0023): unset = the embedded warm index (segments on the object store bucket
     * objects use, under NAMESPACE_WARM_PREFIX); set = this Amazon S3 Vectors vector bucket.
     */
    STRATA_S3_VECTORS_BUCKET: envString().optional(),
    STRATA_S3_VECTORS_REGION: envString({ default: "us-east-1" }),
    /** An S3 Vectors-compatible endpoint (tests' fake server); unset = AWS. */
    STRATA_S3_VECTORS_ENDPOINT: envUrl({ protocols: ["http", "https"] }).optional(),
    /** Index names start with this (one index per namespace and feature space). */
    STRATA_S3_VECTORS_INDEX_PREFIX: envString({ default: "strata" }),
    /** The embedded warm index's segments: under this prefix of the object store bucket objects use. */
    NAMESPACE_WARM_PREFIX: envString({ default: "tiers/warm" }),
    /** The cold tier's objects (one per document): under this prefix of the same object store. */
    NAMESPACE_COLD_PREFIX: envString({ default: "tiers/cold" }),
    /** How many tier moves run at once in this process (the rest wait), so moves never starve queries. */
    NAMESPACE_TIER_MOVE_CONCURRENCY: envInt(2, { min: 1, max: 64 }),
    /**
     * With a shared store (MongoDB) the service refuses to keep objects or vectors on its own disk,
     * where other replicas cannot see them, unless this says there is only one replica.
     */
    NAMESPACE_SINGLE_REPLICA: envBool(false),
    ...commonServiceFields,
  })
  .superRefine((c, ctx) => {
    const shared = c.NAMESPACE_STORE_URL?.startsWith("mongodb") === true;
    if (!shared || c.NAMESPACE_SINGLE_REPLICA) return;
    const local: Array<[string, string]> = [];
    if (c.STRATA_S3_BUCKET === undefined) local.push(["STRATA_S3_BUCKET", "object bytes"]);
    if (c.NAMESPACE_HOT_INDEX_URL === undefined)
      local.push(["NAMESPACE_HOT_INDEX_URL", "the hot tier's vectors"]);

    for (const [variable, what] of local) {
      ctx.addIssue({
        code: "custom",
        path: [variable],
        message:
          `is required with a shared NAMESPACE_STORE_URL (MongoDB): without it ${what} stay on this replica's ` +
          `local disk, invisible to the other replicas and lost with the container. Set ${variable}, or ` +
          "NAMESPACE_SINGLE_REPLICA=true if this is the only replica and its data dir is a volume",
      });
    }
  });

export type NamespaceConfig = z.infer<typeof namespaceConfigSchema>;

/** Where the service keeps its records: NAMESPACE_STORE_URL, or a SQLite file in the data directory. */
export function storeLocationOf(config: NamespaceConfig): StoreLocation {
  return resolveStoreLocation({
    url: config.NAMESPACE_STORE_URL,
    variable: "NAMESPACE_STORE_URL",
    dataDir: config.STRATA_DATA_DIR,
    sqliteFile: "namespace.db",
    mongoDatabase: config.NAMESPACE_MONGO_DATABASE,
  });
}

export type HotIndexLocation =
  | { readonly kind: "embedded"; readonly dir: string }
  | { readonly kind: "qdrant"; readonly url: string; readonly apiKey?: string | undefined };

export function hotIndexLocationOf(config: NamespaceConfig): HotIndexLocation {
  if (config.NAMESPACE_HOT_INDEX_URL !== undefined)
    return { kind: "qdrant", url: config.NAMESPACE_HOT_INDEX_URL, apiKey: config.QDRANT_API_KEY };
  return { kind: "embedded", dir: join(config.STRATA_DATA_DIR, "namespace-hot-index") };
}

export type WarmIndexLocation =
  | { readonly kind: "embedded"; readonly prefix: string }
  | {
      readonly kind: "s3vectors";
      readonly bucket: string;
      readonly region: string;
      readonly endpoint?: string | undefined;
      /** The S3 keys when both are set; else the AWS SDK's default chain. */
      readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
      readonly indexPrefix: string;
    };

export function warmIndexLocationOf(config: NamespaceConfig): WarmIndexLocation {
  if (config.STRATA_S3_VECTORS_BUCKET !== undefined)
    return {
      kind: "s3vectors",
      bucket: config.STRATA_S3_VECTORS_BUCKET,
      region: config.STRATA_S3_VECTORS_REGION,
      endpoint: config.STRATA_S3_VECTORS_ENDPOINT,
      credentials:
        config.STRATA_S3_ACCESS_KEY_ID === undefined || config.STRATA_S3_SECRET_ACCESS_KEY === undefined
          ? undefined
          : {
              accessKeyId: config.STRATA_S3_ACCESS_KEY_ID,
              secretAccessKey: config.STRATA_S3_SECRET_ACCESS_KEY,
            },
      indexPrefix: config.STRATA_S3_VECTORS_INDEX_PREFIX,
    };
  return { kind: "embedded", prefix: config.NAMESPACE_WARM_PREFIX };
}

/** The only place the namespace service reads process.env. Throws a ConfigError listing every problem. */
export function loadNamespaceConfig(env: Env = process.env): NamespaceConfig {
  return loadConfig(namespaceConfigSchema, env);
}
