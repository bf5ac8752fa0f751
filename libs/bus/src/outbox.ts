import type { DocStoreSession, TableSpec } from "@strata/docstore";
import { type EventEnvelope, subjectOf } from "@strata/events";
import { captureTraceFields } from "./trace-headers.js";

export const OUTBOX_TABLE = "event_outbox";

/** Give this to `DocStore.ensureTable` at start-up in every service that publishes events. */
export const OUTBOX_TABLE_SPEC: TableSpec = {
  name: OUTBOX_TABLE,
  indexes: [{ fields: ["seq"] }],
};

/** An event waiting to be published. `id` is the event id, hence also the `Nats-Msg-Id`. */
export interface OutboxRecord {
  readonly id: string;
  readonly subject: string;
  /** The envelope as JSON text, published byte for byte. */
  readonly envelope: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly created_at: string;
  /** Publication order: milliseconds × 1000 plus a counter, increasing per appender. */
  readonly seq: number;
}

/** Records an event for publication inside the caller's transaction (see `createOutboxAppender`). */
export type AppendToOutbox = (tx: DocStoreSession, event: EventEnvelope) => Promise<void>;

/**
 * An appender that records `event` for publication inside the caller's transaction, so the event
 * exists exactly when the change it describes commits. The active trace context is captured now and
 * travels with it. Call `OutboxRelay.notify()` after the commit to publish without waiting for the
 * next poll. The service runtime makes one per service; it keeps the last sequence it handed out,
 * so that two events appended in the same millisecond keep their append order.
 */
export function createOutboxAppender(): AppendToOutbox {
  let lastSeq = 0;
  return async (tx, event) => {
    const now = Date.now();
    lastSeq = Math.max(lastSeq + 1, now * 1000);
    const trace = captureTraceFields();
    const record: OutboxRecord = {
      id: event.id,
      subject: subjectOf(event),
      envelope: JSON.stringify(event),
      ...(trace.traceparent === undefined ? {} : { traceparent: trace.traceparent }),
      ...(trace.tracestate === undefined ? {} : { tracestate: trace.tracestate }),
      created_at: new Date(now).toISOString(),
      seq: lastSeq,
    };
    const inserted = await tx.table<OutboxRecord>(OUTBOX_TABLE).insert(record);
    // Event ids are freshly generated; a clash means the same envelope was appended twice (a bug).
    if (!inserted.ok) throw new Error(`event ${event.id} is already in the outbox`);
  };
}

/** What waits in an outbox: the operator's "are events leaving?" figure. */
export interface OutboxBacklog {
  readonly rows: number;
  /** When the oldest unpublished event was appended; undefined when the outbox is empty. */
  readonly oldestCreatedAt: Date | undefined;
}

export async function readOutboxBacklog(store: DocStoreSession): Promise<OutboxBacklog> {
  const table = store.table<OutboxRecord>(OUTBOX_TABLE);
  const [rows, oldest] = await Promise.all([
    table.count(),
    table.find({ orderBy: [{ field: "seq", direction: "asc" }], limit: 1 }),
  ]);
  const first = oldest[0]?.record.created_at;
  return { rows, oldestCreatedAt: first === undefined ? undefined : new Date(first) };
}
