import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { documentV1 } from "@strata/proto";
import { readDocumentVectors } from "../../../shared/vectors/read-vectors.js";
import { updateDocument } from "../change-document.js";
import type { DocumentPorts } from "../ports.js";
import { aclFromProto, documentToProto, labelsFromProto, vectorsFromProto } from "./document-mapping.js";

export function updateDocumentHandler(
  ports: DocumentPorts,
): UnaryHandlerWithCaller<documentV1.UpdateDocumentRequest, documentV1.UpdateDocumentResponse> {
  return async (request, { caller }) => {
    const result = await updateDocument(
      ports,
      caller,
      request.namespaceId,
      request.collectionIdentifier,
      request.documentId,
      {
        metadata: request.metadata,
        features: request.features === undefined ? undefined : vectorsFromProto(request.features.vectors),
        text: request.text,
        taxonomyLabels:
          request.taxonomyLabels === undefined ? undefined : labelsFromProto(request.taxonomyLabels.labels),
        acl: aclFromProto(request.acl),
      },
    );
    if (!result.ok) return result;
    if (!request.includeFeatures) return ok({ document: documentToProto(result.value) });
    const vectors = await readDocumentVectors(ports, [result.value]);
    return vectors.ok ? ok({ document: documentToProto(result.value, vectors.value[0]) }) : vectors;
  };
}
