import type { DocStore, StoredRecord, Where } from "@strata/docstore";
import { type AppError, ok, type Result } from "@strata/errors";

/** Records read per step; the loops run until a read comes back empty. */
const PAGE = 100;

/**
 * Reads the matching records a page at a time and removes each (`remove` must make it stop
 * matching), until a read comes back empty. Answers how many were removed.
 */
export async function drain<T extends StoredRecord>(
  store: DocStore,
  table: string,
  where: Where,
  remove: (record: T) => Promise<Result<unknown, AppError>>,
): Promise<Result<number, AppError>> {
  let removed = 0;
  for (;;) {
    const page = await store.table<T>(table).find({ where, limit: PAGE });
    if (page.length === 0) return ok(removed);
    for (const { record } of page) {
      const done = await remove(record);
      if (!done.ok) return done;
      removed += 1;
    }
  }
}
