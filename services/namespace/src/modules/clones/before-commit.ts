import { ok } from "@strata/errors";
import type { CloneStep } from "../../shared/clone-step.js";

/**
 * The clones module's own copy step, the last one: it awaits the wait the service's caller gave
 * (StartPlatformOptions.beforeCloneCommit), after every module copied its part and before the
 * clone is marked ready. End-to-end tests hold a clone running there to watch it (its 409s, its
 * progress, a cancel, a kill) without racing a timer; no configuration sets it. None: nothing waits.
 */
export function waitBeforeCommit(wait: (() => Promise<void>) | undefined): CloneStep {
  return async () =>
    ok(async () => {
      await wait?.();
      return ok({});
    });
}
