import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { retrieverV1 } from "@strata/proto";
import type { AclQueryPorts } from "../../domain/ports.js";
import { listRetrievers } from "../../domain/retrievers/read-retrievers.js";
import { retrieverToProto } from "./retriever-mapping.js";

export function listRetrieversHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<retrieverV1.ListRetrieversRequest, retrieverV1.ListRetrieversResponse> {
  return async (request, { caller }) => {
    const page = await listRetrievers(ports, caller, request.namespaceId, {
      limit: request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    return page.ok
      ? ok({ retrievers: page.value.records.map(retrieverToProto), nextCursor: page.value.nextCursor ?? "" })
      : page;
  };
}
