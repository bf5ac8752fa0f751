import { type ConsumerHandle, type ConsumerOutcome, startEventConsumer } from "@strata/bus";
import { isRetryable } from "@strata/errors";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import { retireDeletedNamespaceFromKeys } from "../domain/namespace-keys.js";
import type { AuthPorts } from "../domain/ports.js";

/** Shared by every auth replica: each deleted namespace is taken off the keys by one of them. */
export const NAMESPACE_KEYS_DURABLE = "auth_namespace_keys";

/** namespace.deleted → revoke the keys restricted to it alone, take it off the others' lists. */
export function startNamespaceDeletedConsumer(options: {
  readonly nc: NatsConnection;
  readonly ports: AuthPorts;
  readonly logger: Logger;
}): Promise<ConsumerHandle> {
  const { ports, logger } = options;
  return startEventConsumer("namespace.deleted", {
    nc: options.nc,
    durable: NAMESPACE_KEYS_DURABLE,
    startAt: "all",
    logger,
    handler: async (event): Promise<ConsumerOutcome> => {
      const { namespace_id: namespaceId, organization_id: organizationId } = event.data;
      const outcome = await retireDeletedNamespaceFromKeys(ports, organizationId, namespaceId);
      if (!outcome.ok) {
        return isRetryable(outcome.error.kind)
          ? { action: "retry", delayMs: 1_000 }
          : { action: "dead", reason: outcome.error.message };
      }
      logger.info(
        { namespace_id: namespaceId, ...outcome.value },
        "deleted namespace taken off its API keys",
      );
      return { action: "ack" };
    },
  });
}
