export { asyncApiDocument } from "./asyncapi.js";
export type { EventCatalog, EventData, EventType } from "./catalog.js";
export { EVENT_TYPES, eventCatalog, isEventType, isInternalEventType } from "./catalog.js";
export {
  DEAD_LETTER_HEADER_DESCRIPTIONS,
  DEAD_LETTER_HEADERS,
  DLQ_STREAM,
  DLQ_SUBJECT_ROOT,
  deadLetterSubjectFor,
} from "./dead-letter.js";
export type { AnyEventEnvelope, EventEnvelope, EventOrigin } from "./envelope.js";
export {
  buildEvent,
  EVENTS_STREAM,
  EVENTS_SUBJECT_ROOT,
  eventTypeOfSubject,
  parseEvent,
  subjectFilterFor,
  subjectOf,
} from "./envelope.js";
