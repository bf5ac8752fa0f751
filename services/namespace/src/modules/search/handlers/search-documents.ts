import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import { type searchV1, tierToProto } from "@strata/proto";
import { readDocumentVectors } from "../../../shared/vectors/read-vectors.js";
import { documentToProto } from "../../documents/handlers/document-mapping.js";
import type { SearchPorts } from "../ports.js";
import { searchDocuments } from "../search-documents.js";

export function searchDocumentsHandler(
  ports: SearchPorts,
): UnaryHandlerWithCaller<searchV1.SearchDocumentsRequest, searchV1.SearchDocumentsResponse> {
  return async (request, { caller }) => {
    const result = await searchDocuments(ports, caller, request.namespaceId, {
      collectionIdentifiers: request.collectionIdentifiers,
      featureUri: request.featureUri,
      vector: request.vector,
      topK: request.topK,
      filters: request.filters,
      scoreThreshold: request.scoreThreshold,
      excludeDocumentIds: request.excludeDocumentIds,
      includeCold: request.includeCold,
    });
    if (!result.ok) return result;
    const { hits, coldScanned } = result.value;
    const vectors = request.includeFeatures
      ? await readDocumentVectors(
          ports,
          hits.map((h) => h.document),
        )
      : ok([]);
    if (!vectors.ok) return vectors;
    return ok({
      hits: hits.map((hit, i) => ({
        document: documentToProto(hit.document, vectors.value[i]),
        score: hit.score,
        sourceTier: tierToProto(hit.sourceTier),
      })),
      coldScanned: coldScanned !== undefined,
      coldDocumentsScanned: coldScanned ?? 0,
    });
  };
}
