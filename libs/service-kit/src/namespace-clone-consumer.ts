import type { ConsumerHandle, ConsumerOutcome } from "@strata/bus";
import type { AppError, Result } from "@strata/errors";
import type { EventEnvelope } from "@strata/events";
import { type NamespaceDurable, startNamespaceDurable } from "./namespace-durable.js";

/** What a namespace.cloned event asks of a service: copy its part of the source into the clone. */
export interface ClonedNamespace {
  readonly organizationId: string;
  readonly sourceNamespaceId: string;
  /** The clone. */
  readonly namespaceId: string;
  readonly includeWebhooks: boolean;
}

/** `durable`: the service's own durable consumer of namespace.cloned. */
export interface NamespaceCloneOptions extends NamespaceDurable {
  /** The namespace service's word on whether the clone still exists: none, nothing to copy into. */
  readonly namespaceIsLive: (
    organizationId: string,
    namespaceId: string,
  ) => Promise<Result<boolean, AppError>>;
  /**
   * Copies what the service holds of the source into the clone, with ids derived from the clone
   * (`cloneIdOf`), skipping copies already there: a redelivery, or a run after a crash midway,
   * converges. Answers counts for the log; a store failure throws and the event is retried.
   */
  readonly copy: (clone: ClonedNamespace) => Promise<Readonly<Record<string, number>>>;
  /** What was copied, for the log line ("retrievers, alerts and ACL rules"). */
  readonly what: string;
}

/**
 * namespace.cloned → the service copies its part of the source into the clone (ADR 0024, 0030),
 * as long as the clone exists: a clone deleted before its event arrived gets nothing, so no copy
 * outlives it.
 */
export async function handleNamespaceClone(
  options: Omit<NamespaceCloneOptions, "nc" | "durable" | "observer">,
  event: EventEnvelope<"namespace.cloned">,
): Promise<ConsumerOutcome> {
  const clone: ClonedNamespace = {
    organizationId: event.data.organization_id,
    sourceNamespaceId: event.data.source_namespace_id,
    namespaceId: event.data.namespace_id,
    includeWebhooks: event.data.include_webhooks,
  };
  const logged = { namespace_id: clone.namespaceId, source_namespace_id: clone.sourceNamespaceId };
  if (clone.namespaceId === clone.sourceNamespaceId) {
    return { action: "dead", reason: "a namespace cannot be its own clone: the event is forged" };
  }
  const live = await options.namespaceIsLive(clone.organizationId, clone.namespaceId);
  if (!live.ok) return { action: "retry" };
  if (!live.value) {
    options.logger.info(logged, `the clone is gone: its ${options.what} were not copied`);
    return { action: "ack" };
  }
  const copied = await options.copy(clone);
  options.logger.info({ ...logged, ...copied }, `clone's ${options.what} copied`);
  return { action: "ack" };
}

export function startNamespaceCloneConsumer(options: NamespaceCloneOptions): Promise<ConsumerHandle> {
  return startNamespaceDurable("namespace.cloned", options, (event) => handleNamespaceClone(options, event));
}
