import { type EventEnvelope, type EventType, subjectFilterFor } from "@strata/events";
import {
  type ConsumerHandle,
  type ConsumerOutcome,
  type Delivery,
  type DurableConsumerOptions,
  startDurableConsumer,
} from "./durable-consumer.js";

export interface EventConsumerOptions<T extends EventType>
  extends Omit<DurableConsumerOptions, "filterSubject" | "handler"> {
  readonly handler: (event: EventEnvelope<T>, delivery: Delivery) => Promise<ConsumerOutcome>;
}

/**
 * A durable consumer of one event type: it filters on the type's subject and hands the handler
 * that type only. An event of another type on that subject breaks the contract and is
 * dead-lettered rather than guessed at.
 */
export function startEventConsumer<T extends EventType>(
  type: T,
  options: EventConsumerOptions<T>,
): Promise<ConsumerHandle> {
  const { handler, ...rest } = options;
  return startDurableConsumer({
    ...rest,
    filterSubject: subjectFilterFor(type),
    handler: async (event, delivery) =>
      event.type === type
        ? handler(event as EventEnvelope<T>, delivery)
        : { action: "dead", reason: `unexpected ${event.type}` },
  });
}
