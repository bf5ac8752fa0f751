import type { ConsumerHandle, ConsumerOutcome } from "@strata/bus";
import type { AppError, Result } from "@strata/errors";
import type { EventEnvelope } from "@strata/events";
import type { Logger } from "@strata/logger";
import { type NamespaceDurable, startNamespaceDurable } from "./namespace-durable.js";

/** `durable`: the service's own durable consumer of namespace.deleted. */
export interface NamespacePurgeOptions extends NamespaceDurable {
  /** The namespace service's word on whether the namespace exists: the event alone is no proof. */
  readonly namespaceIsLive: (
    organizationId: string,
    namespaceId: string,
  ) => Promise<Result<boolean, AppError>>;
  /** Removes what the service holds of the namespace; answers counts for the log. */
  readonly purge: (organizationId: string, namespaceId: string) => Promise<Record<string, unknown>>;
  /** What was purged, for the log line ("webhooks", "manifest records"). */
  readonly what: string;
  readonly logger: Logger;
}

/**
 * namespace.deleted → what a service holds of the namespace goes, once the namespace service says
 * it is gone (ADR 0015): a forged or out-of-order event for a live namespace is dead-lettered.
 */
export async function handleNamespacePurge(
  options: Omit<NamespacePurgeOptions, "nc" | "durable" | "observer">,
  event: EventEnvelope<"namespace.deleted">,
): Promise<ConsumerOutcome> {
  const { namespace_id: namespaceId, organization_id: organizationId } = event.data;
  const live = await options.namespaceIsLive(organizationId, namespaceId);
  if (!live.ok) return { action: "retry" };
  if (live.value) {
    options.logger.warn(
      { namespace_id: namespaceId, event_id: event.id },
      "namespace.deleted for a live namespace",
    );
    return { action: "dead", reason: "the namespace is live: the event is forged or out of order" };
  }
  const purged = await options.purge(organizationId, namespaceId);
  options.logger.info({ namespace_id: namespaceId, ...purged }, `deleted namespace's ${options.what} purged`);
  return { action: "ack" };
}

export function startNamespacePurgeConsumer(options: NamespacePurgeOptions): Promise<ConsumerHandle> {
  return startNamespaceDurable("namespace.deleted", options, (event) => handleNamespacePurge(options, event));
}
