import {
  type ConsumerHandle,
  type ConsumerObserver,
  type ConsumerOutcome,
  startEventConsumer,
} from "@strata/bus";
import { type AppError, isRetryable, type Result } from "@strata/errors";
import type { EventEnvelope } from "@strata/events";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import { retireDeletedNamespaceFromKeys } from "../domain/namespace-keys.js";
import type { AuthPorts } from "../domain/ports.js";

/** Shared by every auth replica: each deleted namespace is taken off the keys by one of them. */
export const NAMESPACE_KEYS_DURABLE = "auth_namespace_keys";

export interface NamespaceDeletedDeps {
  readonly ports: AuthPorts;
  /** The namespace service's word on whether the namespace exists: the event alone is no proof. */
  readonly namespaceIsLive: (
    organizationId: string,
    namespaceId: string,
  ) => Promise<Result<boolean, AppError>>;
  readonly logger: Logger;
}

/**
 * namespace.deleted → revoke the keys restricted to it alone, take it off the others' lists; but
 * only once its owner says it is gone, so a forged or replayed event revokes nothing.
 */
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
      "namespace.deleted for a live namespace: keys kept",
    );
    return { action: "dead", reason: "the namespace is live: the event is forged or out of order" };
  }
  const outcome = await retireDeletedNamespaceFromKeys(deps.ports, organizationId, namespaceId);
  if (!outcome.ok) {
    return isRetryable(outcome.error.kind)
      ? { action: "retry" }
      : { action: "dead", reason: outcome.error.message };
  }
  deps.logger.info(
    { namespace_id: namespaceId, ...outcome.value },
    "deleted namespace taken off its API keys",
  );
  return { action: "ack" };
}

export function startNamespaceDeletedConsumer(
  options: NamespaceDeletedDeps & { readonly nc: NatsConnection; readonly observer?: ConsumerObserver },
): Promise<ConsumerHandle> {
  return startEventConsumer("namespace.deleted", {
    nc: options.nc,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    durable: NAMESPACE_KEYS_DURABLE,
    startAt: "all",
    logger: options.logger,
    handler: (event) => handleNamespaceDeleted(options, event),
  });
}
