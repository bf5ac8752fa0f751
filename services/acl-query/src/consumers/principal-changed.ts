import { type ConsumerHandle, type ConsumerObserver, startEventConsumer } from "@strata/bus";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import { followPrincipal } from "../domain/alerts/alert-principals.js";
import type { AclQueryPorts } from "../domain/ports.js";

/**
 * principal.updated / principal.deleted → the principal's alerts take its new roles and attributes
 * (none once deleted). Shared by every replica: one of them updates the records.
 */
export async function startPrincipalChangedConsumers(options: {
  readonly nc: NatsConnection;
  readonly ports: AclQueryPorts;
  readonly logger: Logger;
  readonly observer?: ConsumerObserver;
}): Promise<ConsumerHandle[]> {
  const { nc, ports, logger } = options;
  const observed = options.observer === undefined ? {} : { observer: options.observer };
  const updated = await startEventConsumer("principal.updated", {
    nc,
    durable: "acl_query_alert_principal_updated",
    startAt: "all",
    logger,
    ...observed,
    handler: async (event) => {
      await followPrincipal(ports.store, {
        organizationId: event.data.organization_id,
        principalId: event.data.principal_id,
        roles: event.data.roles,
        attributes: event.data.attributes,
      });
      return { action: "ack" };
    },
  });
  const deleted = await startEventConsumer("principal.deleted", {
    nc,
    durable: "acl_query_alert_principal_deleted",
    startAt: "all",
    logger,
    ...observed,
    handler: async (event) => {
      await followPrincipal(ports.store, {
        organizationId: event.data.organization_id,
        principalId: event.data.principal_id,
        roles: [],
        attributes: {},
      });
      return { action: "ack" };
    },
  });
  return [updated, deleted];
}
