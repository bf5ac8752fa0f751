import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { type DocStore, openMongoDocStore, openSqliteDocStore } from "@strata/docstore";
import type { StoreLocation } from "./store-location.js";

export interface ServiceStoreOptions {
  /** SQLite only: throw on a call on the store inside its own transaction (see TxGate). */
  readonly reentryCheck: boolean;
}

/** The embedded mode keeps a SQLite file; the distributed mode a MongoDB database. */
export async function openServiceStore(
  location: StoreLocation,
  options: ServiceStoreOptions,
): Promise<DocStore> {
  switch (location.kind) {
    case "sqlite":
      if (location.path !== ":memory:") await mkdir(dirname(location.path), { recursive: true });
      return openSqliteDocStore({ path: location.path, reentryCheck: options.reentryCheck });
    case "mongo":
      return openMongoDocStore({ url: location.url, database: location.database });
  }
}
