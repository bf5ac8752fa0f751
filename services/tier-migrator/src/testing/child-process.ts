// Starts testing/migrator-child.ts as a child process and waits for its "ready" line.
import { join } from "node:path";
import type { Env } from "@strata/config";
import { type ChildService, launchChildService } from "@strata/testkit";

export type MigratorProcess = ChildService;

export function launchMigrator(env: Env): Promise<MigratorProcess> {
  return launchChildService(
    join(import.meta.dirname, "migrator-child.ts"),
    join(import.meta.dirname, "../.."),
    env,
  );
}
