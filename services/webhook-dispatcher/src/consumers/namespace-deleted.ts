import type { ConsumerHandle } from "@strata/bus";
import { type NamespacePurgeOptions, startNamespacePurgeConsumer } from "@strata/service-kit";
import type { WebhookPorts } from "../domain/ports.js";
import { purgeNamespaceWebhooks } from "../domain/purge-namespace.js";

export const NAMESPACE_WEBHOOKS_DURABLE = "webhook_dispatcher_namespace_deleted";

/** namespace.deleted → its webhooks and deliveries go, once its owner says it is gone (ADR 0015). */
export function startNamespaceDeletedConsumer(
  options: Omit<NamespacePurgeOptions, "durable" | "purge" | "what"> & { readonly ports: WebhookPorts },
): Promise<ConsumerHandle> {
  return startNamespacePurgeConsumer({
    ...options,
    durable: NAMESPACE_WEBHOOKS_DURABLE,
    what: "webhooks and deliveries",
    purge: (organizationId, namespaceId) =>
      purgeNamespaceWebhooks(options.ports, organizationId, namespaceId),
  });
}
