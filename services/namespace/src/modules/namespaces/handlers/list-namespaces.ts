import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { namespaceV1 } from "@strata/proto";
import type { NamespacePorts } from "../ports.js";
import { LIST_LIMIT_DEFAULT, listNamespaces } from "../read-namespaces.js";
import { namespaceToProto } from "./namespace-mapping.js";

export function listNamespacesHandler(
  ports: NamespacePorts,
): UnaryHandlerWithCaller<namespaceV1.ListNamespacesRequest, namespaceV1.ListNamespacesResponse> {
  return async (request, { caller }) => {
    // proto3 cannot tell 0 from unset: 0 means "the default".
    const limit = request.limit === 0 ? LIST_LIMIT_DEFAULT : request.limit;
    const cursor = request.cursor === "" ? undefined : request.cursor;
    const result = await listNamespaces(ports, caller, { limit, cursor });
    if (!result.ok) return result;
    return ok({
      namespaces: result.value.namespaces.map(namespaceToProto),
      nextCursor: result.value.nextCursor ?? "",
    });
  };
}
