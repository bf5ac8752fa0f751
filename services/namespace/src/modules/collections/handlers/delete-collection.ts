import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { collectionV1 } from "@strata/proto";
import { deleteCollection } from "../delete-collection.js";
import type { CollectionPorts } from "../ports.js";
import { collectionToProto } from "./collection-mapping.js";

export function deleteCollectionHandler(
  ports: CollectionPorts,
): UnaryHandlerWithCaller<collectionV1.DeleteCollectionRequest, collectionV1.DeleteCollectionResponse> {
  return async (request, { caller }) => {
    const result = await deleteCollection(ports, caller, request.namespaceId, request.identifier);
    if (!result.ok) return result;
    return ok({
      collection: collectionToProto(result.value.collection),
      deletedDocuments: result.value.deletedDocuments,
    });
  };
}
