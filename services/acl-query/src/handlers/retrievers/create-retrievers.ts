import { MAX_CREATE_BATCH } from "@strata/contracts";
import { ok } from "@strata/errors";
import { checkBatchItems, itemErrorJson, type UnaryHandlerWithCaller } from "@strata/grpc";
import type { retrieverV1 } from "@strata/proto";
import type { AclQueryPorts } from "../../domain/ports.js";
import { createRetrievers } from "../../domain/retrievers/create-retriever.js";
import { newRetrieverInputOf } from "./create-retriever.js";
import { retrieverToProto } from "./retriever-mapping.js";

export function createRetrieversHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<retrieverV1.CreateRetrieversRequest, retrieverV1.CreateRetrieversResponse> {
  return async (request, { caller }) => {
    const shape = checkBatchItems(request.namespaceId, request.retrievers, MAX_CREATE_BATCH);
    if (!shape.ok) return shape;
    const created = await createRetrievers(
      ports,
      caller,
      request.namespaceId,
      request.retrievers.map(newRetrieverInputOf),
    );
    if (!created.ok) return created;
    return ok({
      results: created.value.map((result) =>
        result.ok
          ? { retriever: retrieverToProto(result.value), error: "" }
          : { error: itemErrorJson(result.error) },
      ),
    });
  };
}
