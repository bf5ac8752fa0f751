import {
  type ConsumerHandle,
  type ConsumerObserver,
  type ConsumerOutcome,
  startEventConsumer,
} from "@strata/bus";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import { purgeNamespace } from "../modules/namespaces/purge-namespace.js";
import type { PurgeStep } from "../shared/purge-step.js";

/** Shared by every namespace-service replica: each deleted namespace is purged by one of them. */
export const NAMESPACE_PURGE_DURABLE = "namespace_purge";

/**
 * namespace.deleted → remove the namespace's data (the tracked background task of DESIGN §6). The
 * durable consumer is the tracking: the event stays unacknowledged until the purge finished, a
 * failure is retried with a growing delay, and a purge that keeps failing is dead-lettered (and
 * logged) rather than lost. Every retained event is seen once, from the first start on.
 */
export function startNamespacePurger(options: {
  readonly nc: NatsConnection;
  /** Each module's part of the purge, in order (modules.ts). */
  readonly steps: readonly PurgeStep[];
  /** Asked before purging: a namespace whose record still exists is never purged. */
  readonly isLive: (namespaceId: string) => Promise<boolean>;
  readonly logger: Logger;
  /** The process's metrics: this durable's backlog and dead letters. */
  readonly observer?: ConsumerObserver;
}): Promise<ConsumerHandle> {
  const { steps, logger } = options;
  return startEventConsumer("namespace.deleted", {
    nc: options.nc,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    durable: NAMESPACE_PURGE_DURABLE,
    startAt: "all",
    // A purge takes a while; heartbeats keep it, so a crashed replica's purge resumes 30 s later.
    ackWaitMs: 30_000,
    maxHandlerMs: 60 * 60_000,
    // Events pulled ahead wait without heartbeats while a purge runs: pull none ahead.
    prefetch: 1,
    maxDeliver: 10,
    logger,
    handler: async (event, delivery): Promise<ConsumerOutcome> => {
      const namespaceId = event.data.namespace_id;
      if (await options.isLive(namespaceId)) {
        logger.warn(
          { namespace_id: namespaceId, event_id: event.id },
          "namespace.deleted for a live namespace: not purged",
        );
        return { action: "dead", reason: "the namespace is live: the event is forged or out of order" };
      }
      const purged = await purgeNamespace(steps, namespaceId);
      if (purged.ok) {
        logger.info({ namespace_id: namespaceId, ...purged.value }, "deleted namespace purged");
        return { action: "ack" };
      }
      logger.warn(
        { namespace_id: namespaceId, attempt: delivery.attempt, reason: purged.error.message },
        "namespace purge failed; retrying",
      );
      return { action: "retry" }; // after 1 s, 2 s, 4 s … up to 60 s
    },
  });
}
