import type { ConsumerHandle } from "@strata/bus";
import { type NamespacePurgeOptions, startNamespacePurgeConsumer } from "@strata/service-kit";
import type { ManifestPorts } from "../domain/ports.js";
import { purgeNamespaceManifests } from "../domain/purge-namespace.js";

export const NAMESPACE_MANIFESTS_DURABLE = "manifest_namespace_deleted";

/** namespace.deleted → its apply history and membership go, once its owner says it is gone (ADR 0015). */
export function startNamespaceDeletedConsumer(
  options: Omit<NamespacePurgeOptions, "durable" | "purge" | "what"> & { readonly ports: ManifestPorts },
): Promise<ConsumerHandle> {
  return startNamespacePurgeConsumer({
    ...options,
    durable: NAMESPACE_MANIFESTS_DURABLE,
    what: "apply history and membership",
    purge: (organizationId, namespaceId) =>
      purgeNamespaceManifests(options.ports, organizationId, namespaceId),
  });
}
