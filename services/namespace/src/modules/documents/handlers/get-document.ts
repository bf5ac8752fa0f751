import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { documentV1 } from "@strata/proto";
import { readDocumentVectors } from "../../../shared/vectors/read-vectors.js";
import type { DocumentPorts } from "../ports.js";
import { getDocument } from "../read-documents.js";
import { documentToProto } from "./document-mapping.js";

export function getDocumentHandler(
  ports: DocumentPorts,
): UnaryHandlerWithCaller<documentV1.GetDocumentRequest, documentV1.GetDocumentResponse> {
  return async (request, { caller }) => {
    const result = await getDocument(
      ports,
      caller,
      request.namespaceId,
      request.collectionIdentifier,
      request.documentId,
    );
    if (!result.ok) return result;
    ports.recordAccess?.reads([result.value]);
    if (!request.includeFeatures) return ok({ document: documentToProto(result.value) });
    const vectors = await readDocumentVectors(ports, [result.value]);
    return vectors.ok ? ok({ document: documentToProto(result.value, vectors.value[0]) }) : vectors;
  };
}
