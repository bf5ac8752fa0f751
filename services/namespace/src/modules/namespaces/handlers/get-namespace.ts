import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { namespaceV1 } from "@strata/proto";
import type { NamespacePorts } from "../ports.js";
import { getNamespace } from "../read-namespaces.js";
import { namespaceToProto } from "./namespace-mapping.js";

export function getNamespaceHandler(
  ports: NamespacePorts,
): UnaryHandlerWithCaller<namespaceV1.GetNamespaceRequest, namespaceV1.GetNamespaceResponse> {
  return async (request, { caller }) => {
    const result = await getNamespace(ports, caller, request.identifier);
    return result.ok ? ok({ namespace: namespaceToProto(result.value) }) : result;
  };
}
