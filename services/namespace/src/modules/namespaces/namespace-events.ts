import { buildEvent, type EventEnvelope } from "@strata/events";
import type { NamespaceRecord } from "./tables.js";

function origin(ns: NamespaceRecord, time: Date) {
  return {
    service: "namespace",
    organizationId: ns.organization_id,
    namespaceId: ns.id,
    subject: ns.id,
    time,
  };
}

export function namespaceCreatedEvent(ns: NamespaceRecord, time: Date): EventEnvelope<"namespace.created"> {
  return buildEvent("namespace.created", origin(ns, time), {
    namespace_id: ns.id,
    organization_id: ns.organization_id,
    namespace_name: ns.namespace_name,
  });
}

export function namespaceUpdatedEvent(
  ns: NamespaceRecord,
  previousName: string,
  time: Date,
): EventEnvelope<"namespace.updated"> {
  return buildEvent("namespace.updated", origin(ns, time), {
    namespace_id: ns.id,
    organization_id: ns.organization_id,
    namespace_name: ns.namespace_name,
    previous_namespace_name: previousName,
    description: ns.description,
  });
}

export function namespaceDeletedEvent(ns: NamespaceRecord, time: Date): EventEnvelope<"namespace.deleted"> {
  return buildEvent("namespace.deleted", origin(ns, time), {
    namespace_id: ns.id,
    organization_id: ns.organization_id,
    namespace_name: ns.namespace_name,
  });
}
