// Starts testing/dispatcher-child.ts as a child process and waits for its "ready" line.
import { join } from "node:path";
import type { Env } from "@strata/config";
import { type ChildService, launchChildService } from "@strata/testkit";

export type DispatcherProcess = ChildService;

export function launchDispatcher(env: Env): Promise<DispatcherProcess> {
  return launchChildService(
    join(import.meta.dirname, "dispatcher-child.ts"),
    join(import.meta.dirname, "../.."),
    env,
  );
}
