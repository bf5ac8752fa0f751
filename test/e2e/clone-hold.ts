import { access } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";

const POLL_MS = 50;

/** The launcher entry (clone-hold-platform.ts) of a platform process whose clones this holds. */
export const CLONE_HOLD_PLATFORM_ENTRY = "test/e2e/clone-hold-platform.ts";
/** The variable that names the hold file to that entry. */
export const CLONE_HOLD_FILE_VARIABLE = "E2E_CLONE_HOLD_FILE";

/**
 * A clone hold for the platform's `beforeCloneCommit`: while `file` exists, a clone that copied
 * everything waits before it commits, so a test can watch it running (its 409s, its progress, a
 * cancel, a kill) without racing a timer. A file, so that it also holds a platform process.
 */
export function holdWhileFileExists(file: string): () => Promise<void> {
  return async () => {
    while (await exists(file)) await delay(POLL_MS);
  };
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
