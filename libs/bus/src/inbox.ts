import type { DocStore, DocStoreSession, TableSpec } from "@strata/docstore";
import { err, ok, type Result } from "@strata/errors";

export const INBOX_TABLE = "event_inbox";

/** Give this to `DocStore.ensureTable` in every service that consumes events with `processOnce`. */
export const INBOX_TABLE_SPEC: TableSpec = {
  name: INBOX_TABLE,
  indexes: [{ fields: ["processed_at"] }],
};

/** One event handled by one consumer; `id` is `<consumer>:<event id>`. */
export interface InboxRecord {
  readonly id: string;
  readonly consumer: string;
  readonly event_id: string;
  readonly processed_at: string;
}

const DUPLICATE: unique symbol = Symbol("duplicate");

/**
 * Runs `work` at most once per (consumer, event id): the inbox row is written in the same
 * transaction as the work, so a redelivered event finds it and is skipped, and work that rolls
 * back leaves no row. Answers "duplicate" for an event already processed.
 */
export async function processOnce<T, E>(
  store: DocStore,
  consumer: string,
  eventId: string,
  work: (tx: DocStoreSession) => Promise<Result<T, E>>,
): Promise<Result<T | "duplicate", E>> {
  const result = await store.transaction<T, E | typeof DUPLICATE>(async (tx) => {
    // Insert first: a concurrent redelivery on another replica then conflicts on the id before
    // doing the work twice (a unique key wins where the store's isolation alone would not).
    const marked = await tx.table<InboxRecord>(INBOX_TABLE).insert({
      id: `${consumer}:${eventId}`,
      consumer,
      event_id: eventId,
      processed_at: new Date().toISOString(),
    });
    if (!marked.ok) return err(DUPLICATE);
    return work(tx);
  });
  if (result.ok) return result;
  if (result.error === DUPLICATE) return ok("duplicate");
  return err(result.error);
}

/**
 * Deletes inbox rows older than `olderThanMs`. Redeliveries only happen while an event is on the
 * stream, so rows older than the stream's max age protect nothing; `startInboxPruner` runs this on
 * a timer with that age in every service that keeps an inbox.
 */
export function pruneInbox(store: DocStore, olderThanMs: number, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - olderThanMs).toISOString();
  return store.table<InboxRecord>(INBOX_TABLE).deleteMany({ processed_at: { $lt: cutoff } });
}
