import { unaryWithCaller } from "@strata/grpc";
import { batchV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { createBatchHandler } from "./handlers/create-batch.js";
import { getBatchHandler } from "./handlers/get-batch.js";
import type { BatchPorts } from "./ports.js";
import { purgeBatches } from "./purge.js";
import { BATCH_TABLE_SPECS } from "./tables.js";

export const BATCH_SERVICE_NAME = "strata.namespace.v1.BatchService";

/**
 * Batches: stored whole, written chunk by chunk from the work queue (ADR 0005) through the
 * documents module's write API. The worker itself is an adapter (adapters/nats/batch-worker.ts).
 */
export const batchesModule: NamespaceModule<BatchPorts> = {
  name: "batches",
  tables: BATCH_TABLE_SPECS,
  services: (ports) => [
    {
      name: BATCH_SERVICE_NAME,
      definition: batchV1.BatchServiceService,
      implementation: {
        createBatch: unaryWithCaller(createBatchHandler(ports)),
        getBatch: unaryWithCaller(getBatchHandler(ports)),
      } satisfies batchV1.BatchServiceServer,
    },
  ],
  purge: purgeBatches,
};
