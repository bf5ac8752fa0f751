import { batchV1 } from "@strata/proto";
import type { BatchView } from "../read-batch.js";
import type { BatchStatus } from "../tables.js";

export function batchStatusToProto(status: BatchStatus): batchV1.BatchStatus {
  switch (status) {
    case "pending":
      return batchV1.BatchStatus.BATCH_STATUS_PENDING;
    case "processing":
      return batchV1.BatchStatus.BATCH_STATUS_PROCESSING;
    case "completed":
      return batchV1.BatchStatus.BATCH_STATUS_COMPLETED;
    case "failed":
      return batchV1.BatchStatus.BATCH_STATUS_FAILED;
  }
}

export function batchToProto(view: BatchView): batchV1.Batch {
  const { batch } = view;
  return {
    batchId: batch.id,
    collectionId: batch.collection_id,
    namespaceId: batch.namespace_id,
    status: batchStatusToProto(batch.status),
    total: batch.total,
    succeeded: batch.succeeded,
    failed: batch.failed,
    errors: view.errors.map((e) => ({ index: e.index, type: e.error.type, message: e.error.message })),
    createdAt: new Date(batch.created_at),
    updatedAt: new Date(batch.updated_at),
  };
}
