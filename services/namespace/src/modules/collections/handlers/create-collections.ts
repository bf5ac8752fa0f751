import { MAX_CREATE_BATCH } from "@strata/contracts";
import { ok } from "@strata/errors";
import { checkBatchItems, itemErrorJson, type UnaryHandlerWithCaller } from "@strata/grpc";
import type { collectionV1 } from "@strata/proto";
import { createCollections } from "../create-collection.js";
import type { CollectionPorts } from "../ports.js";
import { collectionToProto } from "./collection-mapping.js";
import { newCollectionInputOf } from "./create-collection.js";

export function createCollectionsHandler(
  ports: CollectionPorts,
): UnaryHandlerWithCaller<collectionV1.CreateCollectionsRequest, collectionV1.CreateCollectionsResponse> {
  return async (request, { caller }) => {
    const sameNamespace = checkBatchItems(request.namespaceId, request.collections, MAX_CREATE_BATCH);
    if (!sameNamespace.ok) return sameNamespace;
    const created = await createCollections(
      ports,
      caller,
      request.namespaceId,
      request.collections.map(newCollectionInputOf),
    );
    if (!created.ok) return created;
    return ok({
      results: created.value.map((result) =>
        result.ok
          ? { collection: collectionToProto(result.value), error: "" }
          : { error: itemErrorJson(result.error) },
      ),
    });
  };
}
