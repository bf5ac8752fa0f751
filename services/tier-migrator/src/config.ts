import {
  type Env,
  envDurationMs,
  envEnum,
  envHostPort,
  envInt,
  envPort,
  envString,
  loadConfig,
} from "@strata/config";
import {
  commonServiceFields,
  resolveStoreLocation,
  type StoreLocation,
  storeUrlField,
} from "@strata/service-kit";
import { z } from "zod";
import type { TierPrices } from "./domain/ports.js";

export type { StoreLocation };

/** A price per GB-month in USD, e.g. "0.06". */
function envPrice(fallback: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === "") return fallback;
      const value = Number(raw);
      if (!Number.isFinite(value) || value < 0) {
        ctx.addIssue({ code: "custom", message: `'${raw}' is not a price (a number of USD ≥ 0)` });
        return z.NEVER;
      }
      return value;
    });
}

/** tier-migrator's variables (parse with loadConfig, or build one in a test). */
export const tierMigratorConfigSchema = z.object({
  TIER_MIGRATOR_GRPC_HOST: envString({ default: "127.0.0.1" }),
  /** 0 picks a free port (the embedded launcher does). */
  TIER_MIGRATOR_GRPC_PORT: envPort(50055),
  /** Default `sqlite:<STRATA_DATA_DIR>/tiering.db`. */
  TIER_MIGRATOR_STORE_URL: storeUrlField(),
  TIER_MIGRATOR_MONGO_DATABASE: envString({ default: "strata_tiering" }),
  /** The namespace service: its TierService moves documents; it answers collections and namespaces. */
  NAMESPACE_GRPC_URL: envHostPort(),
  /** What holds the warm tier: S3 Vectors cannot hold dot-product features. */
  STRATA_WARM_BACKEND: envEnum(["embedded", "s3vectors"] as const, "embedded"),
  /** How often every namespace with a policy is swept. */
  TIER_SWEEP_INTERVAL: envDurationMs(3_600_000),
  /** Documents moved per second at most, per replica. */
  TIER_MOVE_RATE: envInt(500, { min: 1, max: 1_000_000 }),
  /** Moves per MoveDocuments call (the TierService takes at most 1,000). */
  TIER_MOVE_BATCH: envInt(200, { min: 1, max: 1_000 }),
  TIER_MAX_MOVES_PER_SWEEP: envInt(100_000, { min: 1, max: 10_000_000 }),
  /** How long a replica's sweep lease lasts unrenewed: how soon another resumes a dead replica's sweep. */
  TIER_SWEEP_LEASE: envDurationMs(30_000),
  /** How often access counts gathered in memory are written (one row update per document). */
  TIER_ACCESS_FLUSH_INTERVAL: envDurationMs(5_000),
  /** How often a sweep first reconciles its statistics with the namespace's placements. */
  TIER_RECONCILE_INTERVAL: envDurationMs(24 * 3_600_000),
  /** USD per GB-month of vectors: RAM-backed Qdrant (an r7g-class node's memory). */
  TIER_PRICE_HOT: envPrice(5),
  /** S3 Vectors storage. */
  TIER_PRICE_WARM: envPrice(0.06),
  /** S3 Standard-IA (Glacier Instant Retrieval is 0.004). */
  TIER_PRICE_COLD: envPrice(0.0125),
  /** Archived documents keep no vectors. */
  TIER_PRICE_ARCHIVE: envPrice(0),
  ...commonServiceFields,
});

export type TierMigratorConfig = z.infer<typeof tierMigratorConfigSchema>;

export function storeLocationOf(config: TierMigratorConfig): StoreLocation {
  return resolveStoreLocation({
    url: config.TIER_MIGRATOR_STORE_URL,
    variable: "TIER_MIGRATOR_STORE_URL",
    dataDir: config.STRATA_DATA_DIR,
    sqliteFile: "tiering.db",
    mongoDatabase: config.TIER_MIGRATOR_MONGO_DATABASE,
  });
}

export function pricesOf(config: TierMigratorConfig): TierPrices {
  return {
    hot: config.TIER_PRICE_HOT,
    warm: config.TIER_PRICE_WARM,
    cold: config.TIER_PRICE_COLD,
    archive: config.TIER_PRICE_ARCHIVE,
  };
}

/** The only place tier-migrator reads process.env. Throws a ConfigError listing every problem. */
export function loadTierMigratorConfig(env: Env = process.env): TierMigratorConfig {
  return loadConfig(tierMigratorConfigSchema, env);
}
