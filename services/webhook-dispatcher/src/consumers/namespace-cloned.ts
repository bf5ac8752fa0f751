import type { ConsumerHandle } from "@strata/bus";
import { type NamespaceCloneOptions, startNamespaceCloneConsumer } from "@strata/service-kit";
import { copyNamespaceWebhooks } from "../domain/copy-namespace-webhooks.js";
import type { WebhookPorts } from "../domain/ports.js";

export const NAMESPACE_CLONE_WEBHOOKS_DURABLE = "webhook_dispatcher_namespace_cloned";

/** namespace.cloned with include_webhooks → the source's webhooks are copied, inactive. */
export function startNamespaceClonedConsumer(
  options: Omit<NamespaceCloneOptions, "durable" | "copy" | "what"> & { readonly ports: WebhookPorts },
): Promise<ConsumerHandle> {
  return startNamespaceCloneConsumer({
    ...options,
    durable: NAMESPACE_CLONE_WEBHOOKS_DURABLE,
    what: "webhooks",
    copy: (clone) => copyNamespaceWebhooks(options.ports, clone),
  });
}
