import { type Env, envHostPort, envPort, envString, loadConfig } from "@strata/config";
import {
  commonServiceFields,
  resolveStoreLocation,
  type StoreLocation,
  storeUrlField,
} from "@strata/service-kit";
import { z } from "zod";

export type { StoreLocation };

/** The auth service's variables (parse with loadConfig, or build one in a test). */
export const authConfigSchema = z.object({
  AUTH_GRPC_HOST: envString({ default: "127.0.0.1" }),
  /** 0 picks a free port (the embedded launcher does). */
  AUTH_GRPC_PORT: envPort(50051),
  /** Default `sqlite:<STRATA_DATA_DIR>/auth.db`. */
  AUTH_STORE_URL: storeUrlField(),
  AUTH_MONGO_DATABASE: envString({ default: "strata_auth" }),
  /** When set, the first start on an empty store writes the first admin key here (mode 0600). */
  AUTH_BOOTSTRAP_FILE: envString().optional(),
  /**
   * The namespace service: asked whether a namespace is really gone before the keys restricted to
   * it are revoked on namespace.deleted.
   */
  NAMESPACE_GRPC_URL: envHostPort(),
  ...commonServiceFields,
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

/** Where the service keeps its records: AUTH_STORE_URL, or a SQLite file in the data directory. */
export function storeLocationOf(config: AuthConfig): StoreLocation {
  return resolveStoreLocation({
    url: config.AUTH_STORE_URL,
    variable: "AUTH_STORE_URL",
    dataDir: config.STRATA_DATA_DIR,
    sqliteFile: "auth.db",
    mongoDatabase: config.AUTH_MONGO_DATABASE,
  });
}

/** The only place the auth service reads process.env. Throws a ConfigError listing every problem. */
export function loadAuthConfig(env: Env = process.env): AuthConfig {
  return loadConfig(authConfigSchema, env);
}
