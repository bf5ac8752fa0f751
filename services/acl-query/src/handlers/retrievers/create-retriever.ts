import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { retrieverV1 } from "@strata/proto";
import type { AclQueryPorts } from "../../domain/ports.js";
import { createRetriever } from "../../domain/retrievers/create-retriever.js";
import { retrieverToProto } from "./retriever-mapping.js";

export function createRetrieverHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<retrieverV1.CreateRetrieverRequest, retrieverV1.CreateRetrieverResponse> {
  return async (request, { caller }) => {
    const created = await createRetriever(ports, caller, request.namespaceId, {
      retrieverName: request.retrieverName,
      description: request.description,
      collectionIdentifiers: request.collectionIdentifiers,
      featureUri: request.featureUri,
      topK: request.topK === 0 ? undefined : request.topK,
      filters: request.filters,
      scoreThreshold: request.scoreThreshold,
    });
    return created.ok ? ok({ retriever: retrieverToProto(created.value) }) : created;
  };
}
