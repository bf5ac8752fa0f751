import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { retrieverV1 } from "@strata/proto";
import type { AclQueryPorts } from "../../domain/ports.js";
import { createRetriever, type NewRetrieverInput } from "../../domain/retrievers/create-retriever.js";
import { retrieverToProto } from "./retriever-mapping.js";

export function createRetrieverHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<retrieverV1.CreateRetrieverRequest, retrieverV1.CreateRetrieverResponse> {
  return async (request, { caller }) => {
    const created = await createRetriever(ports, caller, request.namespaceId, newRetrieverInputOf(request));
    return created.ok ? ok({ retriever: retrieverToProto(created.value) }) : created;
  };
}

/** A create request's fields as the domain takes them (CreateRetriever, and each of CreateRetrievers). */
export function newRetrieverInputOf(request: retrieverV1.CreateRetrieverRequest): NewRetrieverInput {
  return {
    retrieverName: request.retrieverName,
    description: request.description,
    collectionIdentifiers: request.collectionIdentifiers,
    featureUri: request.featureUri,
    topK: request.topK === 0 ? undefined : request.topK,
    filters: request.filters,
    scoreThreshold: request.scoreThreshold,
  };
}
