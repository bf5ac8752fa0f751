import {
  type ConsumerHandle,
  type ConsumerObserver,
  type ConsumerOutcome,
  startEventConsumer,
} from "@strata/bus";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import type { AclQueryPorts } from "../domain/ports.js";
import { purgeNamespaceQueries } from "../domain/purge-namespace.js";

/** Shared by every acl-query replica: each deleted namespace is purged by one of them. */
export const NAMESPACE_PURGE_DURABLE = "acl_query_namespace_purge";

/**
 * namespace.deleted → delete the namespace's retrievers, alerts and ACL rules. A store failure throws, and
 * the durable consumer retries it with a growing delay.
 */
export function startNamespaceDeletedConsumer(options: {
  readonly nc: NatsConnection;
  readonly ports: AclQueryPorts;
  readonly logger: Logger;
  /** The process's metrics: this durable's backlog and dead letters. */
  readonly observer?: ConsumerObserver;
}): Promise<ConsumerHandle> {
  const { ports, logger } = options;
  return startEventConsumer("namespace.deleted", {
    nc: options.nc,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    durable: NAMESPACE_PURGE_DURABLE,
    startAt: "all",
    logger,
    handler: async (event): Promise<ConsumerOutcome> => {
      const namespaceId = event.data.namespace_id;
      // The event alone is not proof: purge only what the namespace's owner says is gone.
      const live = await ports.namespaceData.namespaceIsLive(event.data.organization_id, namespaceId);
      if (!live.ok) return { action: "retry", delayMs: 1_000 };
      if (live.value) {
        logger.warn(
          { namespace_id: namespaceId, event_id: event.id },
          "namespace.deleted for a live namespace: not purged",
        );
        return { action: "dead", reason: "the namespace is live: the event is forged or out of order" };
      }
      const purged = await purgeNamespaceQueries(ports.store, namespaceId);
      logger.info(
        { namespace_id: namespaceId, ...purged },
        "deleted namespace's retrievers, alerts and ACL rules removed",
      );
      return { action: "ack" };
    },
  });
}
