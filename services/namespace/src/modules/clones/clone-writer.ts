import { setImmediate as nextTurn } from "node:timers/promises";
import type { DocStore, DocStoreSession } from "@strata/docstore";
import { type AppError, err, ok, type Result, unavailable } from "@strata/errors";
import { CLONE_PAGE, type CloneTarget, type CloneWriter, insertCopies } from "../../shared/clone-step.js";
import type { CloneRun } from "./clone-runs.js";

/** The message a copy stops with when its clone was cancelled (run-clone ends it as cancelled). */
export const CANCELLED = "Cancelled on request";

/** The writer every step's copy gets: page transactions on `store`, progress into `run`. */
export function cloneWriter(
  store: DocStore,
  run: CloneRun,
  sourceNamespaceId: string,
  target: CloneTarget,
  writeId: string,
): CloneWriter {
  const page = async <T>(
    work: (tx: DocStoreSession) => Promise<Result<T, AppError>>,
  ): Promise<Result<T, AppError>> => {
    if (run.cancelled) return err(unavailable(CANCELLED));
    const done = await store.transaction(work);
    // Whatever queued behind this page (other namespaces' requests) runs before the next one.
    await nextTurn();
    return done;
  };
  return {
    sourceNamespaceId,
    target,
    writeId,
    page,
    async insert(table, copies) {
      let inserted = 0;
      for (let start = 0; start < copies.length; start += CLONE_PAGE) {
        const slice = copies.slice(start, start + CLONE_PAGE);
        const done = await page((tx) => insertCopies(tx.table(table), slice));
        if (!done.ok) return done;
        inserted += done.value;
      }
      return ok(inserted);
    },
    progress(counts) {
      const next = { ...run.progress };
      for (const [kind, n] of Object.entries(counts)) next[kind] = (next[kind] ?? 0) + n;
      run.progress = next;
    },
  };
}
