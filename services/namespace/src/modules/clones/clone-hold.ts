import { access } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { ok } from "@strata/errors";
import type { CloneStep } from "../../shared/clone-step.js";

const POLL_MS = 50;

/**
 * A test hook (NAMESPACE_CLONE_HOLD_FILE): while the file exists, a clone that copied everything
 * waits before it is marked ready (this step's copy runs after the other modules'), so a test can
 * watch a running clone (its 409s, its progress, a cancel, a kill) without racing a timer. Unset,
 * the step does nothing.
 */
export function holdWhileFileExists(holdFile: string | undefined): CloneStep {
  return async () =>
    ok(async () => {
      if (holdFile !== undefined) {
        while (await exists(holdFile)) await delay(POLL_MS);
      }
      return ok({});
    });
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
