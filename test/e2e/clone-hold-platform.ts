// A test-only launcher entry: the platform process exactly as services/platform/src/main.ts runs
// it, with its clones held before their commit while the file E2E_CLONE_HOLD_FILE names exists.
import { runLauncher } from "@strata/platform";
import { CLONE_HOLD_FILE_VARIABLE, holdWhileFileExists } from "./clone-hold.js";

const holdFile = process.env[CLONE_HOLD_FILE_VARIABLE];
if (holdFile === undefined) throw new Error(`clone-hold-platform.ts needs ${CLONE_HOLD_FILE_VARIABLE}`);
void runLauncher({ beforeCloneCommit: holdWhileFileExists(holdFile) });
