import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { retrieverV1 } from "@strata/proto";
import type { AclQueryPorts } from "../../domain/ports.js";
import { getRetriever } from "../../domain/retrievers/read-retrievers.js";
import { retrieverToProto } from "./retriever-mapping.js";

export function getRetrieverHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<retrieverV1.GetRetrieverRequest, retrieverV1.GetRetrieverResponse> {
  return async (request, { caller }) => {
    const found = await getRetriever(ports, caller, request.namespaceId, request.identifier);
    return found.ok ? ok({ retriever: retrieverToProto(found.value) }) : found;
  };
}
