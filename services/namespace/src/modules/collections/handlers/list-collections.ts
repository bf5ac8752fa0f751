import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { collectionV1 } from "@strata/proto";
import { DATA_LIST_LIMIT_DEFAULT } from "../../../shared/namespace-scope.js";
import type { CollectionPorts } from "../ports.js";
import { listCollections } from "../read-collections.js";
import { collectionToProto } from "./collection-mapping.js";

export function listCollectionsHandler(
  ports: CollectionPorts,
): UnaryHandlerWithCaller<collectionV1.ListCollectionsRequest, collectionV1.ListCollectionsResponse> {
  return async (request, { caller }) => {
    // proto3 cannot tell 0 from unset: 0 means "the default".
    const result = await listCollections(ports, caller, request.namespaceId, {
      limit: request.limit === 0 ? DATA_LIST_LIMIT_DEFAULT : request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    if (!result.ok) return result;
    return ok({
      collections: result.value.collections.map(collectionToProto),
      nextCursor: result.value.nextCursor ?? "",
    });
  };
}
