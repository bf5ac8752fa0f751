import {
  type ConsumerHandle,
  type ConsumerObserver,
  type ConsumerOutcome,
  startEventConsumer,
} from "@strata/bus";
import type { AppError, Result } from "@strata/errors";
import type { EventEnvelope } from "@strata/events";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import type { ManifestPorts } from "../domain/ports.js";
import { purgeNamespaceManifests } from "../domain/purge-namespace.js";

export const NAMESPACE_MANIFESTS_DURABLE = "manifest_namespace_deleted";

export interface NamespaceDeletedDeps {
  readonly ports: ManifestPorts;
  /** The namespace service's word on whether the namespace exists: the event alone is no proof. */
  readonly namespaceIsLive: (
    organizationId: string,
    namespaceId: string,
  ) => Promise<Result<boolean, AppError>>;
  readonly logger: Logger;
  readonly observer?: ConsumerObserver;
}

/** namespace.deleted → its apply history and membership go, once its owner says it is gone (ADR 0015). */
export async function handleNamespaceDeleted(
  deps: NamespaceDeletedDeps,
  event: EventEnvelope<"namespace.deleted">,
): Promise<ConsumerOutcome> {
  const { namespace_id: namespaceId, organization_id: organizationId } = event.data;
  const live = await deps.namespaceIsLive(organizationId, namespaceId);
  if (!live.ok) return { action: "retry" };
  if (live.value) {
    deps.logger.warn(
      { namespace_id: namespaceId, event_id: event.id },
      "namespace.deleted for a live namespace",
    );
    return { action: "dead", reason: "the namespace is live: the event is forged or out of order" };
  }
  const purged = await purgeNamespaceManifests(deps.ports, organizationId, namespaceId);
  deps.logger.info({ namespace_id: namespaceId, ...purged }, "deleted namespace's manifest records purged");
  return { action: "ack" };
}

export function startNamespaceDeletedConsumer(
  options: NamespaceDeletedDeps & { readonly nc: NatsConnection },
): Promise<ConsumerHandle> {
  return startEventConsumer("namespace.deleted", {
    nc: options.nc,
    durable: NAMESPACE_MANIFESTS_DURABLE,
    startAt: "all",
    logger: options.logger,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    handler: (event) => handleNamespaceDeleted(options, event),
  });
}
