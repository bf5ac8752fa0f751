import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { retrieverV1 } from "@strata/proto";
import type { AclQueryPorts } from "../../domain/ports.js";
import { executeRetriever } from "../../domain/retrievers/execute-retriever.js";
import { queryFromProto } from "../query-mapping.js";
import { resultToProto } from "./retriever-mapping.js";

export function executeRetrieverHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<retrieverV1.ExecuteRetrieverRequest, retrieverV1.ExecuteRetrieverResponse> {
  return async (request, { caller }) => {
    const query = queryFromProto(request.query);
    if (!query.ok) return query;
    const executed = await executeRetriever(ports, caller, request.namespaceId, request.identifier, {
      query: query.value,
      filters: request.filters,
      topK: request.topK === 0 ? undefined : request.topK,
      includeCold: request.includeCold,
    });
    return executed.ok
      ? ok({
          retrieverId: executed.value.retrieverId,
          results: executed.value.results.map(resultToProto),
          coldScanned: executed.value.coldScanned !== undefined,
          coldDocumentsScanned: executed.value.coldScanned ?? 0,
        })
      : executed;
  };
}
