import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { namespaceV1 } from "@strata/proto";
import { deleteNamespace } from "../change-namespace.js";
import type { NamespacePorts } from "../ports.js";
import { namespaceToProto } from "./namespace-mapping.js";

export function deleteNamespaceHandler(
  ports: NamespacePorts,
): UnaryHandlerWithCaller<namespaceV1.DeleteNamespaceRequest, namespaceV1.DeleteNamespaceResponse> {
  return async (request, { caller }) => {
    const result = await deleteNamespace(ports, caller, request.identifier);
    return result.ok ? ok({ namespace: namespaceToProto(result.value) }) : result;
  };
}
