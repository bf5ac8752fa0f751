import {
  type AnyEventEnvelope,
  EVENTS_STREAM,
  eventTypeOfSubject,
  parseEvent,
  subjectFilterFor,
} from "@strata/events";
import {
  type ConsumerHandle,
  type ConsumerOutcome,
  type ConsumerSettings,
  type Delivery,
  startConsumerEngine,
} from "./consumer-engine.js";
import { handleEvent } from "./consumer-tracing.js";

export interface AllEventsConsumerOptions extends ConsumerSettings {
  readonly handler: (event: AnyEventEnvelope, delivery: Delivery) => Promise<ConsumerOutcome>;
  /** Where a newly created durable starts: every retained event (default) or only new ones. */
  readonly startAt?: "all" | "new";
  /**
   * Types this consumer has no use for: acknowledged as they come, without decoding (the subject
   * names the type). The one filter on every subject still delivers them, and an internal event can
   * be large (a document.accessed names up to 500 documents).
   */
  readonly ignores?: (type: string) => boolean;
}

/**
 * The event face for a consumer of every event type (the webhook dispatcher): one filter on
 * `strata.evt.>` — a list of type filters would need NATS 2.10's filter_subjects — and validated
 * CloudEvents of any known type; an invalid envelope is dead-lettered like startEventConsumer's.
 */
export function startAllEventsConsumer(options: AllEventsConsumerOptions): Promise<ConsumerHandle> {
  const { handler, startAt, ignores, ...settings } = options;
  return startConsumerEngine(settings, {
    stream: EVENTS_STREAM,
    filterSubject: subjectFilterFor(">"),
    startAt: startAt ?? "all",
    defaultPrefetch: Math.max(64, 4 * Math.max(1, settings.concurrency ?? 1)),
    handle: async (m, delivery) => {
      const type = eventTypeOfSubject(m.subject);
      if (ignores !== undefined && type !== undefined && ignores(type)) return { action: "ack" };
      const parsed = parseEvent(m.data);
      if (!parsed.ok) return { action: "dead", reason: `invalid event: ${parsed.reason}` };
      const event = parsed.event;
      return handleEvent(m, event, settings.durable, () => handler(event, delivery));
    },
  });
}
