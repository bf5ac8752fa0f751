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
  /** Publication order: milliseconds × 1000 plus a counter, increasing within a process. */
  readonly seq: number;
}

// The last sequence handed out by this process. A clock, not a dependency: it only keeps two
// events appended in the same millisecond in their append order.
let lastSeq = 0;

function nextSeq(now: number): number {
  lastSeq = Math.max(lastSeq + 1, now * 1000);
  return lastSeq;
}

/**
 * Records `event` for publication inside the caller's transaction, so the event exists exactly when
 * the change it describes commits. The active trace context is captured now and travels with it.
 * Call `OutboxRelay.notify()` after the commit to publish without waiting for the next poll.
 */
export async function appendToOutbox(tx: DocStoreSession, event: EventEnvelope): Promise<void> {
  const now = Date.now();
  const trace = captureTraceFields();
  const record: OutboxRecord = {
    id: event.id,
    subject: subjectOf(event),
    envelope: JSON.stringify(event),
    ...(trace.traceparent === undefined ? {} : { traceparent: trace.traceparent }),
    ...(trace.tracestate === undefined ? {} : { tracestate: trace.tracestate }),
    created_at: new Date(now).toISOString(),
    seq: nextSeq(now),
  };
  const inserted = await tx.table<OutboxRecord>(OUTBOX_TABLE).insert(record);
  // Event ids are freshly generated; a clash means the same envelope was appended twice (a bug).
  if (!inserted.ok) throw new Error(`event ${event.id} is already in the outbox`);
}
