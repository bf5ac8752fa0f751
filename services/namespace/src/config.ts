import { type Env, envPort, envString, loadConfig } from "@strata/config";
import {
  commonServiceFields,
  resolveStoreLocation,
  type StoreLocation,
  storeUrlField,
} from "@strata/service-kit";
import { z } from "zod";

export type { StoreLocation };

/** The namespace service's variables (parse with loadConfig, or build one in a test). */
export const namespaceConfigSchema = z.object({
  NAMESPACE_GRPC_HOST: envString({ default: "127.0.0.1" }),
  /** 0 picks a free port (the embedded launcher does). */
  NAMESPACE_GRPC_PORT: envPort(50052),
  /** Default `sqlite:<STRATA_DATA_DIR>/namespace.db`. */
  NAMESPACE_STORE_URL: storeUrlField(),
  NAMESPACE_MONGO_DATABASE: envString({ default: "strata_namespace" }),
  ...commonServiceFields,
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

/** The only place the namespace service reads process.env. Throws a ConfigError listing every problem. */
export function loadNamespaceConfig(env: Env = process.env): NamespaceConfig {
  return loadConfig(namespaceConfigSchema, env);
}
