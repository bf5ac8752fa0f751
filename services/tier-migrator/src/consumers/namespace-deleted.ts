import {
  type ConsumerHandle,
  type ConsumerObserver,
  type ConsumerOutcome,
  startEventConsumer,
} from "@strata/bus";
import type { EventEnvelope } from "@strata/events";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import type { TieringPorts } from "../domain/ports.js";
import { purgeNamespaceTiering } from "../domain/purge-namespace.js";

export const NAMESPACE_TIERING_DURABLE = "tier_migrator_namespace_deleted";

export interface NamespaceDeletedDeps {
  readonly ports: TieringPorts;
  readonly logger: Logger;
  readonly observer?: ConsumerObserver;
}

/** namespace.deleted → its tiering rows go, once its owner says it is gone (ADR 0015). */
export async function handleNamespaceDeleted(
  deps: NamespaceDeletedDeps,
  event: EventEnvelope<"namespace.deleted">,
): Promise<ConsumerOutcome> {
  const { namespace_id: namespaceId, organization_id: organizationId } = event.data;
  const live = await deps.ports.directory.isLive(organizationId, namespaceId);
  if (!live.ok) return { action: "retry" };
  if (live.value) {
    deps.logger.warn(
      { namespace_id: namespaceId, event_id: event.id },
      "namespace.deleted for a live namespace",
    );
    return { action: "dead", reason: "the namespace is live: the event is forged or out of order" };
  }
  const purged = await purgeNamespaceTiering(deps.ports.store, organizationId, namespaceId);
  deps.logger.info({ namespace_id: namespaceId, ...purged }, "deleted namespace's tiering purged");
  return { action: "ack" };
}

export function startNamespaceDeletedConsumer(
  options: NamespaceDeletedDeps & { readonly nc: NatsConnection },
): Promise<ConsumerHandle> {
  return startEventConsumer("namespace.deleted", {
    nc: options.nc,
    durable: NAMESPACE_TIERING_DURABLE,
    startAt: "all",
    logger: options.logger,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    handler: (event) => handleNamespaceDeleted(options, event),
  });
}
