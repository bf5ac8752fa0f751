/**
 * Dead letters of every durable consumer, event consumers and work queues alike: one stream, one
 * subject per consumer (`strata.dlq.<durable>`), one format. The body is the original message's
 * bytes, unchanged; what happened is in the headers below, beside the original headers
 * (traceparent …) without the original `Nats-*` ones.
 */
export const DLQ_STREAM = "STRATA_DLQ";
export const DLQ_SUBJECT_ROOT = "strata.dlq";

/** Headers added to a dead letter. */
export const DEAD_LETTER_HEADERS = {
  reason: "Strata-Dead-Reason",
  subject: "Strata-Original-Subject",
  sequence: "Strata-Original-Sequence",
  consumer: "Strata-Consumer",
  attempts: "Strata-Attempts",
} as const;

/** What each dead-letter header holds, for the AsyncAPI document. */
export const DEAD_LETTER_HEADER_DESCRIPTIONS: Readonly<Record<keyof typeof DEAD_LETTER_HEADERS, string>> = {
  reason: "Why the message was given up (one line, at most 1,000 characters).",
  subject: "The subject the message was published to.",
  sequence: "Its sequence in its stream (STRATA_EVENTS or a work-queue stream).",
  consumer: "The durable consumer that gave it up; also the last token of the dead-letter subject.",
  attempts: "Deliveries of the message to that consumer, the one that dead-lettered it included.",
};

export function deadLetterSubjectFor(durable: string): string {
  return `${DLQ_SUBJECT_ROOT}.${durable}`;
}
