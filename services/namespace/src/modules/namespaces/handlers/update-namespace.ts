import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { namespaceV1 } from "@strata/proto";
import { updateNamespace } from "../change-namespace.js";
import type { NamespacePorts } from "../ports.js";
import { namespaceToProto } from "./namespace-mapping.js";

export function updateNamespaceHandler(
  ports: NamespacePorts,
): UnaryHandlerWithCaller<namespaceV1.UpdateNamespaceRequest, namespaceV1.UpdateNamespaceResponse> {
  return async (request, { caller }) => {
    const result = await updateNamespace(ports, caller, request.identifier, {
      namespaceName: request.namespaceName,
      description: request.description,
    });
    return result.ok ? ok({ namespace: namespaceToProto(result.value) }) : result;
  };
}
