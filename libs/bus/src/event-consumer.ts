import {
  EVENTS_STREAM,
  type EventEnvelope,
  type EventType,
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

export interface EventConsumerOptions<T extends EventType> extends ConsumerSettings {
  readonly handler: (event: EventEnvelope<T>, delivery: Delivery) => Promise<ConsumerOutcome>;
  /** Where a newly created durable starts: every retained event (default) or only new ones. */
  readonly startAt?: "all" | "new";
}

/**
 * The event face of the consumer engine: a durable consumer of one event type on STRATA_EVENTS.
 * It filters on the type's subject and hands the handler validated events of that type only,
 * inside a consumer span whose parent is the producer's trace. An event that fails validation, or
 * of another type on that subject, breaks the contract and is dead-lettered rather than guessed at.
 */
export function startEventConsumer<T extends EventType>(
  type: T,
  options: EventConsumerOptions<T>,
): Promise<ConsumerHandle> {
  const { handler, startAt, ...settings } = options;
  return startConsumerEngine(settings, {
    stream: EVENTS_STREAM,
    filterSubject: subjectFilterFor(type),
    startAt: startAt ?? "all",
    defaultPrefetch: Math.max(64, 4 * Math.max(1, settings.concurrency ?? 1)),
    handle: async (m, delivery) => {
      const parsed = parseEvent(m.data);
      if (!parsed.ok) return { action: "dead", reason: `invalid event: ${parsed.reason}` };
      const event = parsed.event;
      if (event.type !== type) return { action: "dead", reason: `unexpected ${event.type}` };
      return handleEvent(m, event, settings.durable, () => handler(event as EventEnvelope<T>, delivery));
    },
  });
}
