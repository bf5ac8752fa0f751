import { join } from "node:path";
import { envString } from "@strata/config";

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

/**
 * A `<SVC>_STORE_URL` field: optional (unset means the SQLite default), refused at load time when
 * it is neither SQLite nor MongoDB, so `resolveStoreLocation` never meets a bad URL.
 */
export function storeUrlField() {
  return envString()
    .optional()
    .refine((url) => url === undefined || parseStoreUrl(url, "-") !== undefined, {
      message: "must be sqlite:<path> or a mongodb:// URL",
    });
}

export interface StoreSettings {
  /** The service's `<SVC>_STORE_URL` value, if set. */
  readonly url: string | undefined;
  /** Its name, for the message of the bug check below. */
  readonly variable: string;
  readonly dataDir: string;
  /** The default SQLite file inside `dataDir`, e.g. `auth.db`. */
  readonly sqliteFile: string;
  readonly mongoDatabase: string;
}

/** Where a service keeps its records: its store URL, or a SQLite file in the data directory. */
export function resolveStoreLocation(settings: StoreSettings): StoreLocation {
  const url = settings.url ?? `sqlite:${join(settings.dataDir, settings.sqliteFile)}`;
  const location = parseStoreUrl(url, settings.mongoDatabase);
  // The schema already refused other URLs; reaching this is a bug in how the config was built.
  if (location === undefined)
    throw new Error(`${settings.variable} must be sqlite:<path> or a mongodb:// URL`);
  return location;
}
