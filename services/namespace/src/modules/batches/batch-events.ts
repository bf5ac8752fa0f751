import { buildEvent, type EventEnvelope } from "@strata/events";
import type { BatchRecord } from "./tables.js";

/** batch.completed when any item was written, batch.failed when every item was refused. */
export function batchFinishedEvent(batch: BatchRecord, time: Date): EventEnvelope {
  const origin = {
    service: "namespace",
    organizationId: batch.organization_id,
    namespaceId: batch.namespace_id,
    subject: batch.id,
    time,
  };
  const data = {
    batch_id: batch.id,
    collection_id: batch.collection_id,
    namespace_id: batch.namespace_id,
    organization_id: batch.organization_id,
    total: batch.total,
    succeeded: batch.succeeded,
    failed: batch.failed,
  };
  return batch.status === "failed"
    ? buildEvent("batch.failed", origin, data)
    : buildEvent("batch.completed", origin, data);
}
