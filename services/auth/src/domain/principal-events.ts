import { buildEvent, type EventEnvelope } from "@strata/events";
import type { PrincipalRecord } from "./tables.js";

type PrincipalEvent = "principal.created" | "principal.updated" | "principal.deleted";

/** Every principal change is published whole, so caches keyed by roles/attributes can drop it. */
export function principalEvent<T extends PrincipalEvent>(
  type: T,
  principal: PrincipalRecord,
  time: Date,
): EventEnvelope<T> {
  const origin = {
    service: "auth",
    organizationId: principal.organization_id,
    subject: principal.principal_id,
    time,
  };
  return buildEvent(type, origin, {
    principal_id: principal.principal_id,
    organization_id: principal.organization_id,
    roles: [...principal.roles],
    attributes: { ...principal.attributes },
  } as never);
}
