import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { documentV1 } from "@strata/proto";
import { DATA_LIST_LIMIT_DEFAULT } from "../../../shared/namespace-scope.js";
import { readDocumentVectors } from "../../../shared/vectors/read-vectors.js";
import type { DocumentPorts } from "../ports.js";
import { listDocuments } from "../read-documents.js";
import { documentToProto } from "./document-mapping.js";

export function listDocumentsHandler(
  ports: DocumentPorts,
): UnaryHandlerWithCaller<documentV1.ListDocumentsRequest, documentV1.ListDocumentsResponse> {
  return async (request, { caller }) => {
    const result = await listDocuments(ports, caller, request.namespaceId, request.collectionIdentifier, {
      filters: request.filters,
      limit: request.limit === 0 ? DATA_LIST_LIMIT_DEFAULT : request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    if (!result.ok) return result;
    const { documents } = result.value;
    const vectors = request.includeFeatures ? await readDocumentVectors(ports, documents) : ok([]);
    if (!vectors.ok) return vectors;
    return ok({
      documents: documents.map((d, i) => documentToProto(d, vectors.value[i])),
      nextCursor: result.value.nextCursor ?? "",
    });
  };
}
