import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { collectionV1 } from "@strata/proto";
import { createCollection, type NewCollectionInput } from "../create-collection.js";
import type { CollectionPorts } from "../ports.js";
import { collectionToProto, featuresFromProto } from "./collection-mapping.js";

export function createCollectionHandler(
  ports: CollectionPorts,
): UnaryHandlerWithCaller<collectionV1.CreateCollectionRequest, collectionV1.CreateCollectionResponse> {
  return async (request, { caller }) => {
    const result = await createCollection(ports, caller, request.namespaceId, newCollectionInputOf(request));
    return result.ok ? ok({ collection: collectionToProto(result.value) }) : result;
  };
}

/** A create request's fields as the domain takes them (CreateCollection, and each of CreateCollections). */
export function newCollectionInputOf(request: collectionV1.CreateCollectionRequest): NewCollectionInput {
  return {
    collectionName: request.collectionName,
    description: request.description,
    features: featuresFromProto(request.features),
    metadataSchema: request.metadataSchema,
    indexedFields: request.indexedFields,
  };
}
