import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { retrieverV1 } from "@strata/proto";
import type { AclQueryPorts } from "../../domain/ports.js";
import { deleteRetriever } from "../../domain/retrievers/change-retriever.js";
import { retrieverToProto } from "./retriever-mapping.js";

export function deleteRetrieverHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<retrieverV1.DeleteRetrieverRequest, retrieverV1.DeleteRetrieverResponse> {
  return async (request, { caller }) => {
    const deleted = await deleteRetriever(ports, caller, request.namespaceId, request.identifier);
    return deleted.ok
      ? ok({
          retriever: retrieverToProto(deleted.value.retriever),
          deletedAlerts: deleted.value.deletedAlerts,
        })
      : deleted;
  };
}
