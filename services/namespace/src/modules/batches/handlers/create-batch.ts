import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { batchV1 } from "@strata/proto";
import {
  aclFromProto,
  labelsFromProto,
  vectorsFromProto,
} from "../../documents/handlers/document-mapping.js";
import { createBatch } from "../create-batch.js";
import { floatsFromBytes } from "../packed-vectors.js";
import type { BatchPorts } from "../ports.js";
import { batchToProto } from "./batch-mapping.js";

export function createBatchHandler(
  ports: BatchPorts,
): UnaryHandlerWithCaller<batchV1.CreateBatchRequest, batchV1.CreateBatchResponse> {
  return async (request, { caller }) => {
    const documents = request.documents.map((d) => ({
      documentId: d.documentId,
      metadata: d.metadata,
      features: [
        ...Object.entries(vectorsFromProto(d.features)),
        ...Object.entries(d.packedFeatures).map(([uri, bytes]) => [uri, floatsFromBytes(bytes)] as const),
      ],
      text: d.text,
      taxonomyLabels: labelsFromProto(d.taxonomyLabels),
      acl: aclFromProto(d.acl),
    }));
    const result = await createBatch(
      ports,
      caller,
      request.namespaceId,
      request.collectionIdentifier,
      documents,
      request.requestToken,
    );
    return result.ok ? ok({ batch: batchToProto({ batch: result.value, errors: [] }) }) : result;
  };
}
