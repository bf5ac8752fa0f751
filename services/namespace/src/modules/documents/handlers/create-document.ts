import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { documentV1 } from "@strata/proto";
import { createDocument } from "../create-document.js";
import type { DocumentPorts } from "../ports.js";
import { aclFromProto, documentToProto, labelsFromProto, vectorsFromProto } from "./document-mapping.js";

export function createDocumentHandler(
  ports: DocumentPorts,
): UnaryHandlerWithCaller<documentV1.CreateDocumentRequest, documentV1.CreateDocumentResponse> {
  return async (request, { caller }) => {
    const result = await createDocument(ports, caller, request.namespaceId, request.collectionIdentifier, {
      documentId: request.documentId,
      metadata: request.metadata,
      features: vectorsFromProto(request.features),
      text: request.text,
      taxonomyLabels: labelsFromProto(request.taxonomyLabels),
      acl: aclFromProto(request.acl),
      requestToken: request.requestToken,
    });
    return result.ok ? ok({ document: documentToProto(result.value) }) : result;
  };
}
