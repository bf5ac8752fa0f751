export type { BroadcastHandle, BroadcastOptions } from "./broadcast-subscriber.js";
export { subscribeToAllInstances } from "./broadcast-subscriber.js";
export type { BusLogger } from "./bus-logger.js";
export type { ConnectNatsOptions } from "./connect.js";
export { connectNats } from "./connect.js";
export type {
  ConsumerHandle,
  ConsumerOutcome,
  Delivery,
  DurableConsumerOptions,
  EventHandler,
} from "./durable-consumer.js";
export { DEAD_LETTER_HEADERS, startDurableConsumer } from "./durable-consumer.js";
export type { EventConsumerOptions } from "./event-consumer.js";
export { startEventConsumer } from "./event-consumer.js";
export type { InboxRecord } from "./inbox.js";
export { INBOX_TABLE, INBOX_TABLE_SPEC, processOnce } from "./inbox.js";
export type { InboxPruner, InboxPrunerOptions } from "./inbox-pruner.js";
export { eventStreamMaxAgeMs, startInboxPruner } from "./inbox-pruner.js";
export type { AppendToOutbox, OutboxRecord } from "./outbox.js";
export { createOutboxAppender, OUTBOX_TABLE, OUTBOX_TABLE_SPEC } from "./outbox.js";
export type { OutboxRelayOptions } from "./outbox-relay.js";
export { OutboxRelay } from "./outbox-relay.js";
export type { EventStreamOptions } from "./streams.js";
export { DLQ_STREAM, DLQ_SUBJECT_ROOT, deadLetterSubjectFor, ensureEventStream } from "./streams.js";
export type { TraceFields } from "./trace-headers.js";
export { captureTraceFields, contextFromHeaders } from "./trace-headers.js";
