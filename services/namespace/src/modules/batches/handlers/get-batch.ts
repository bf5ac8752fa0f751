import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { batchV1 } from "@strata/proto";
import type { BatchPorts } from "../ports.js";
import { getBatch } from "../read-batch.js";
import { batchToProto } from "./batch-mapping.js";

export function getBatchHandler(
  ports: BatchPorts,
): UnaryHandlerWithCaller<batchV1.GetBatchRequest, batchV1.GetBatchResponse> {
  return async (request, { caller }) => {
    const result = await getBatch(ports, caller, request.namespaceId, request.batchId);
    return result.ok ? ok({ batch: batchToProto(result.value) }) : result;
  };
}
