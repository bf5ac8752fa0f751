import { err, ok, validationFailed } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { retrieverV1 } from "@strata/proto";
import type { AclQueryPorts } from "../../domain/ports.js";
import { updateRetriever } from "../../domain/retrievers/change-retriever.js";
import { retrieverToProto } from "./retriever-mapping.js";

export function updateRetrieverHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<retrieverV1.UpdateRetrieverRequest, retrieverV1.UpdateRetrieverResponse> {
  return async (request, { caller }) => {
    if (request.removeFilters && request.filters !== undefined) {
      return err(both("filters", "remove_filters"));
    }
    if (request.removeScoreThreshold && request.scoreThreshold !== undefined) {
      return err(both("score_threshold", "remove_score_threshold"));
    }
    const updated = await updateRetriever(ports, caller, request.namespaceId, request.identifier, {
      retrieverName: request.retrieverName,
      description: request.description,
      collectionIdentifiers: request.collections?.collectionIdentifiers,
      featureUri: request.featureUri,
      topK: request.topK,
      filters: request.removeFilters ? null : request.filters,
      scoreThreshold: request.removeScoreThreshold ? null : request.scoreThreshold,
    });
    return updated.ok ? ok({ retriever: retrieverToProto(updated.value) }) : updated;
  };
}

function both(field: string, remover: string) {
  const message = `give ${field} or ${remover}, not both`;
  return validationFailed([{ location: `body.${field}`, message, type: "conflict" }], message);
}
