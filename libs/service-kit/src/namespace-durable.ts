import {
  type ConsumerHandle,
  type ConsumerObserver,
  type ConsumerOutcome,
  startEventConsumer,
} from "@strata/bus";
import type { EventEnvelope } from "@strata/events";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";

/** A service's own durable of a namespace's lifecycle event, shared by its replicas. */
export interface NamespaceDurable {
  readonly nc: NatsConnection;
  readonly durable: string;
  readonly logger: Logger;
  readonly observer?: ConsumerObserver;
}

/**
 * Starts the durable at the first retained event: a service deployed after a namespace was deleted
 * or cloned still does its part.
 */
export function startNamespaceDurable<T extends "namespace.deleted" | "namespace.cloned">(
  type: T,
  options: NamespaceDurable,
  handler: (event: EventEnvelope<T>) => Promise<ConsumerOutcome>,
): Promise<ConsumerHandle> {
  return startEventConsumer(type, {
    nc: options.nc,
    durable: options.durable,
    startAt: "all",
    logger: options.logger,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    handler,
  });
}
