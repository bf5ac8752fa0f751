import { type Env, envDurationMs, envHostPort, envInt, envPort, envString, loadConfig } from "@strata/config";
import { MAX_CREATE_BATCH } from "@strata/contracts";
import {
  commonServiceFields,
  resolveStoreLocation,
  type StoreLocation,
  storeUrlField,
} from "@strata/service-kit";
import { z } from "zod";

export type { StoreLocation };

/** The manifest service's variables (parse with loadConfig, or build one in a test). */
export const manifestConfigSchema = z.object({
  MANIFEST_GRPC_HOST: envString({ default: "127.0.0.1" }),
  /** 0 picks a free port (the embedded launcher does). */
  MANIFEST_GRPC_PORT: envPort(50056),
  /** Default `sqlite:<STRATA_DATA_DIR>/manifests.db`. */
  MANIFEST_STORE_URL: storeUrlField(),
  MANIFEST_MONGO_DATABASE: envString({ default: "strata_manifests" }),
  /** The services whose resources a manifest lists. */
  NAMESPACE_GRPC_URL: envHostPort(),
  ACL_QUERY_GRPC_URL: envHostPort(),
  WEBHOOK_GRPC_URL: envHostPort(),
  TIER_MIGRATOR_GRPC_URL: envHostPort(),
  /** Deadline of each call to an owning service. */
  MANIFEST_GRPC_DEADLINE: envDurationMs(10_000),
  /** The per-namespace apply lease; renewed while an apply runs, lost by a replica that died. */
  MANIFEST_APPLY_LEASE: envDurationMs(60_000),
  /** How long an apply waits for another apply on the same namespace before it is refused. */
  MANIFEST_APPLY_LOCK_WAIT: envDurationMs(30_000),
  /** How many creates, updates or deletes of one kind an apply has under way at a time. */
  MANIFEST_APPLY_CONCURRENCY: envInt(16, { min: 1, max: 256 }),
  /** How many creates of one kind an apply sends its owning service in one batch call. */
  MANIFEST_CREATE_BATCH: envInt(100, { min: 1, max: MAX_CREATE_BATCH }),
  ...commonServiceFields,
});

export type ManifestConfig = z.infer<typeof manifestConfigSchema>;

export function storeLocationOf(config: ManifestConfig): StoreLocation {
  return resolveStoreLocation({
    url: config.MANIFEST_STORE_URL,
    variable: "MANIFEST_STORE_URL",
    dataDir: config.STRATA_DATA_DIR,
    sqliteFile: "manifests.db",
    mongoDatabase: config.MANIFEST_MONGO_DATABASE,
  });
}

/** The only place the manifest service reads process.env. Throws a ConfigError listing every problem. */
export function loadManifestConfig(env: Env = process.env): ManifestConfig {
  return loadConfig(manifestConfigSchema, env);
}
