import { buildEvent, type EventEnvelope } from "@strata/events";
import type { CloneRecord } from "./tables.js";

/** The clone is ready: other services copy their part of the source (ADR 0024). */
export function namespaceClonedEvent(task: CloneRecord, time: Date): EventEnvelope<"namespace.cloned"> {
  return buildEvent(
    "namespace.cloned",
    {
      service: "namespace",
      organizationId: task.organization_id,
      namespaceId: task.namespace_id,
      subject: task.namespace_id,
      time,
    },
    {
      namespace_id: task.namespace_id,
      organization_id: task.organization_id,
      namespace_name: task.namespace_name,
      source_namespace_id: task.source_namespace_id,
      task_id: task.id,
      include_webhooks: task.include_webhooks,
    },
  );
}
