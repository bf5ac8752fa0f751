import { type BroadcastHandle, subscribeToAllInstances } from "@strata/bus";
import { type AnyEventEnvelope, type EventType, subjectFilterFor } from "@strata/events";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import type { ApiKeyVerifier } from "./auth/api-key-verifier.js";
import type { NamespaceResolver } from "./namespaces/namespace-resolver.js";

const WATCHED: readonly EventType[] = [
  "api_key.revoked",
  "api_key.rotated",
  "namespace.updated",
  "namespace.deleted",
  "principal.updated",
  "principal.deleted",
];

/**
 * Every gateway instance hears every key and namespace change (an ordered consumer each, from
 * "now"), and drops what it cached about it: a revoked or rotated key stops working here as soon
 * as the event arrives, typically within milliseconds. One subscription per type because
 * nats-server 2.9 allows one filter subject per consumer.
 */
export async function subscribeCacheInvalidation(deps: {
  nc: NatsConnection;
  logger: Logger;
  verifier: ApiKeyVerifier;
  namespaces: NamespaceResolver;
}): Promise<{ stop(): Promise<void> }> {
  const handler = (event: AnyEventEnvelope): void => applyInvalidation(event, deps);
  const handles: BroadcastHandle[] = [];
  // Feeds that may have missed events: while any has, nothing cached is trusted.
  const gapped = new Set<EventType>();
  const onGap = (type: EventType) => () => {
    if (gapped.size === 0) deps.logger.warn({ type }, "cache invalidation feed silent: caches suspended");
    gapped.add(type);
    deps.verifier.suspendCache();
    deps.namespaces.invalidateAll();
  };
  const onResumed = (type: EventType) => () => {
    gapped.delete(type);
    if (gapped.size > 0) return;
    deps.namespaces.invalidateAll();
    deps.verifier.resumeCache();
    deps.logger.info("cache invalidation feed live again: caches resumed");
  };
  try {
    for (const type of WATCHED) {
      handles.push(
        await subscribeToAllInstances({
          nc: deps.nc,
          filterSubject: subjectFilterFor(type),
          handler,
          logger: deps.logger,
          onGap: onGap(type),
          onResumed: onResumed(type),
        }),
      );
    }
  } catch (error: unknown) {
    await Promise.all(handles.map((h) => h.stop()));
    throw error;
  }
  return {
    async stop() {
      await Promise.all(handles.map((h) => h.stop()));
    },
  };
}

export function applyInvalidation(
  event: AnyEventEnvelope,
  deps: { verifier: ApiKeyVerifier; namespaces: NamespaceResolver },
): void {
  switch (event.type) {
    case "api_key.revoked":
    case "api_key.rotated":
      deps.verifier.invalidateKey(event.data.key_id);
      return;
    case "namespace.updated":
    case "namespace.deleted":
      deps.namespaces.invalidate(event.data.namespace_id);
      return;
    case "principal.updated":
    case "principal.deleted":
      // Bound keys act with the principal's roles and attributes, read when the key is verified.
      deps.verifier.invalidatePrincipal(event.data.organization_id, event.data.principal_id);
      return;
    default:
      return;
  }
}
