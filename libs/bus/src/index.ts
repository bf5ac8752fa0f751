export type { AllEventsConsumerOptions } from "./all-events-consumer.js";
export { startAllEventsConsumer } from "./all-events-consumer.js";
export type { Backoff } from "./backoff.js";
export { backoffDelay } from "./backoff.js";
export type { BroadcastHandle, BroadcastOptions } from "./broadcast-subscriber.js";
export { subscribeToAllInstances } from "./broadcast-subscriber.js";
export type { BusLogger } from "./bus-logger.js";
export type { ConnectNatsOptions } from "./connect.js";
export { connectNats } from "./connect.js";
export type {
  ConsumerHandle,
  ConsumerObserver,
  ConsumerOutcome,
  ConsumerSettings,
  Delivery,
} from "./consumer-engine.js";
export type { EventConsumerOptions } from "./event-consumer.js";
export { startEventConsumer } from "./event-consumer.js";
export type { InboxRecord } from "./inbox.js";
export { INBOX_TABLE, INBOX_TABLE_SPEC, processOnce } from "./inbox.js";
export type { InboxPruner, InboxPrunerOptions } from "./inbox-pruner.js";
export { eventStreamMaxAgeMs, startInboxPruner } from "./inbox-pruner.js";
export { natsReachable } from "./nats-reachable.js";
export type { AppendToOutbox, OutboxBacklog, OutboxRecord } from "./outbox.js";
export { createOutboxAppender, OUTBOX_TABLE, OUTBOX_TABLE_SPEC, readOutboxBacklog } from "./outbox.js";
export type { OutboxRelayOptions } from "./outbox-relay.js";
export { OutboxRelay } from "./outbox-relay.js";
export type { EventStreamOptions } from "./streams.js";
export {
  DEAD_LETTER_HEADERS,
  DLQ_STREAM,
  DLQ_SUBJECT_ROOT,
  deadLetterSubjectFor,
  ensureEventStream,
} from "./streams.js";
export type { TraceFields } from "./trace-headers.js";
export { captureTraceFields, contextFromHeaders } from "./trace-headers.js";
export type { WorkQueueConsumerOptions } from "./work-queue-consumer.js";
export { startWorkQueueConsumer } from "./work-queue-consumer.js";
export type { WorkQueueStreamOptions } from "./work-stream.js";
export { ensureWorkQueueStream } from "./work-stream.js";
