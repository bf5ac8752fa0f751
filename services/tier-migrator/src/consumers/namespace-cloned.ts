import type { ConsumerHandle } from "@strata/bus";
import { type NamespaceCloneOptions, startNamespaceCloneConsumer } from "@strata/service-kit";
import { copyTieringPolicy } from "../domain/copy-tiering-policy.js";
import type { TieringPorts } from "../domain/ports.js";

export const NAMESPACE_CLONE_TIERING_DURABLE = "tier_migrator_namespace_cloned";

/** namespace.cloned → the source's tiering policy is copied to the clone. */
export function startNamespaceClonedConsumer(
  options: Omit<NamespaceCloneOptions, "durable" | "copy" | "what" | "namespaceIsLive"> & {
    readonly ports: TieringPorts;
  },
): Promise<ConsumerHandle> {
  const { directory } = options.ports;
  return startNamespaceCloneConsumer({
    ...options,
    durable: NAMESPACE_CLONE_TIERING_DURABLE,
    what: "tiering policy",
    namespaceIsLive: (organizationId, namespaceId) => directory.isLive(organizationId, namespaceId),
    copy: (clone) => copyTieringPolicy(options.ports, clone),
  });
}
