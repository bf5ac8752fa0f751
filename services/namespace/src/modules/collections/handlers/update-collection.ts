import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { collectionV1 } from "@strata/proto";
import type { CollectionPorts } from "../ports.js";
import { updateCollection } from "../update-collection.js";
import { collectionToProto, featuresFromProto } from "./collection-mapping.js";

export function updateCollectionHandler(
  ports: CollectionPorts,
): UnaryHandlerWithCaller<collectionV1.UpdateCollectionRequest, collectionV1.UpdateCollectionResponse> {
  return async (request, { caller }) => {
    const result = await updateCollection(ports, caller, request.namespaceId, request.identifier, {
      collectionName: request.collectionName,
      description: request.description,
      features: request.features === undefined ? undefined : featuresFromProto(request.features.features),
      metadataSchema: request.metadataSchema,
      removeMetadataSchema: request.removeMetadataSchema,
      indexedFields: request.indexedFields?.indexedFields,
    });
    return result.ok ? ok({ collection: collectionToProto(result.value) }) : result;
  };
}
