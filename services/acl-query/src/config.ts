import { type Env, envDurationMs, envHostPort, envPort, envString, loadConfig } from "@strata/config";
import {
  commonServiceFields,
  resolveStoreLocation,
  type StoreLocation,
  storeUrlField,
} from "@strata/service-kit";
import { z } from "zod";

export type { StoreLocation };

/** The acl-query service's variables (parse with loadConfig, or build one in a test). */
export const aclQueryConfigSchema = z.object({
  ACL_QUERY_GRPC_HOST: envString({ default: "127.0.0.1" }),
  /** 0 picks a free port (the embedded launcher does). */
  ACL_QUERY_GRPC_PORT: envPort(50053),
  /** Default `sqlite:<STRATA_DATA_DIR>/acl-query.db`. */
  ACL_QUERY_STORE_URL: storeUrlField(),
  ACL_QUERY_MONGO_DATABASE: envString({ default: "strata_acl_query" }),
  /** The namespace service (collections, documents, search), host:port. */
  NAMESPACE_GRPC_URL: envHostPort(),
  /** How long one call to the namespace service may take. */
  ACL_QUERY_GRPC_DEADLINE: envDurationMs(10_000),
  ...commonServiceFields,
});

export type AclQueryConfig = z.infer<typeof aclQueryConfigSchema>;

/** Where the service keeps its records: ACL_QUERY_STORE_URL, or a SQLite file in the data directory. */
export function storeLocationOf(config: AclQueryConfig): StoreLocation {
  return resolveStoreLocation({
    url: config.ACL_QUERY_STORE_URL,
    variable: "ACL_QUERY_STORE_URL",
    dataDir: config.STRATA_DATA_DIR,
    sqliteFile: "acl-query.db",
    mongoDatabase: config.ACL_QUERY_MONGO_DATABASE,
  });
}

/** The only place the acl-query service reads process.env. Throws a ConfigError listing every problem. */
export function loadAclQueryConfig(env: Env = process.env): AclQueryConfig {
  return loadConfig(aclQueryConfigSchema, env);
}
