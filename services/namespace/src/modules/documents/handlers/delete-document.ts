import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { documentV1 } from "@strata/proto";
import { deleteDocument } from "../change-document.js";
import type { DocumentPorts } from "../ports.js";
import { documentToProto } from "./document-mapping.js";

export function deleteDocumentHandler(
  ports: DocumentPorts,
): UnaryHandlerWithCaller<documentV1.DeleteDocumentRequest, documentV1.DeleteDocumentResponse> {
  return async (request, { caller }) => {
    const result = await deleteDocument(
      ports,
      caller,
      request.namespaceId,
      request.collectionIdentifier,
      request.documentId,
    );
    return result.ok ? ok({ document: documentToProto(result.value) }) : result;
  };
}
