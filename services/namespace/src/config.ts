import { join } from "node:path";
import { type Env, envLogLevel, envPort, envString, envUrl, loadConfig } from "@strata/config";
import { z } from "zod";

export type StoreLocation =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "mongo"; readonly url: string; readonly database: string };

/** `sqlite:<path>` or `mongodb://…` / `mongodb+srv://…`; undefined for anything else. */
export function parseStoreUrl(url: string, mongoDatabase: string): StoreLocation | undefined {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length);
    return path.length > 0 ? { kind: "sqlite", path } : undefined;
  }
  if (url.startsWith("mongodb://") || url.startsWith("mongodb+srv://")) {
    return { kind: "mongo", url, database: mongoDatabase };
  }
  return undefined;
}

const storeUrl = envString()
  .optional()
  .refine((url) => url === undefined || parseStoreUrl(url, "-") !== undefined, {
    message: "must be sqlite:<path> or a mongodb:// URL",
  });

/** The namespace service's variables (parse with loadConfig, or build one in a test). */
export const namespaceConfigSchema = z.object({
  NAMESPACE_GRPC_HOST: envString({ default: "127.0.0.1" }),
  /** 0 picks a free port (the embedded launcher does). */
  NAMESPACE_GRPC_PORT: envPort(50052),
  /** Default `sqlite:<STRATA_DATA_DIR>/namespace.db`. */
  NAMESPACE_STORE_URL: storeUrl,
  NAMESPACE_MONGO_DATABASE: envString({ default: "strata_namespace" }),
  NATS_URL: envString({ default: "nats://127.0.0.1:4222" }),
  STRATA_INTERNAL_TOKEN: envString({ minLength: 32 }),
  LOG_LEVEL: envLogLevel("info"),
  STRATA_DATA_DIR: envString({ default: ".strata" }),
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl({ protocols: ["http", "https"] }).optional(),
});

export type NamespaceConfig = z.infer<typeof namespaceConfigSchema>;

/** Where the service keeps its records: NAMESPACE_STORE_URL, or a SQLite file in the data directory. */
export function storeLocationOf(config: NamespaceConfig): StoreLocation {
  const url = config.NAMESPACE_STORE_URL ?? `sqlite:${join(config.STRATA_DATA_DIR, "namespace.db")}`;
  const location = parseStoreUrl(url, config.NAMESPACE_MONGO_DATABASE);
  // The schema already refused other URLs; reaching this is a bug in how the config was built.
  if (location === undefined)
    throw new Error("NAMESPACE_STORE_URL must be sqlite:<path> or a mongodb:// URL");
  return location;
}

/** The only place the namespace service reads process.env. Throws a ConfigError listing every problem. */
export function loadNamespaceConfig(env: Env = process.env): NamespaceConfig {
  return loadConfig(namespaceConfigSchema, env);
}
