import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { collectionV1 } from "@strata/proto";
import type { CollectionPorts } from "../ports.js";
import { getCollection } from "../read-collections.js";
import { collectionToProto } from "./collection-mapping.js";

export function getCollectionHandler(
  ports: CollectionPorts,
): UnaryHandlerWithCaller<collectionV1.GetCollectionRequest, collectionV1.GetCollectionResponse> {
  return async (request, { caller }) => {
    const result = await getCollection(ports, caller, request.namespaceId, request.identifier);
    if (!result.ok) return result;
    const stats = await ports.vectors.stats(result.value);
    if (!stats.ok) return stats;
    return ok({ collection: collectionToProto(result.value), vectorIndex: stats.value });
  };
}
