import type { ConsumerHandle } from "@strata/bus";
import { type NamespaceCloneOptions, startNamespaceCloneConsumer } from "@strata/service-kit";
import { copyNamespaceQueries } from "../domain/clones/copy-namespace-queries.js";
import type { AclQueryPorts } from "../domain/ports.js";

/** Shared by every acl-query replica: each clone's copy is made by one of them. */
export const NAMESPACE_CLONE_DURABLE = "acl_query_namespace_cloned";

/** namespace.cloned → the source's retrievers, alerts and ACL rules are copied into the clone. */
export function startNamespaceClonedConsumer(
  options: Omit<NamespaceCloneOptions, "durable" | "copy" | "what" | "namespaceIsLive"> & {
    readonly ports: AclQueryPorts;
  },
): Promise<ConsumerHandle> {
  const { ports } = options;
  return startNamespaceCloneConsumer({
    ...options,
    durable: NAMESPACE_CLONE_DURABLE,
    what: "retrievers, alerts and ACL rules",
    namespaceIsLive: (organizationId, namespaceId) =>
      ports.namespaceData.namespaceIsLive(organizationId, namespaceId),
    copy: (clone) => copyNamespaceQueries(ports, clone),
  });
}
