import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { namespaceV1 } from "@strata/proto";
import { createNamespace } from "../create-namespace.js";
import type { NamespacePorts } from "../ports.js";
import { namespaceToProto } from "./namespace-mapping.js";

export function createNamespaceHandler(
  ports: NamespacePorts,
): UnaryHandlerWithCaller<namespaceV1.CreateNamespaceRequest, namespaceV1.CreateNamespaceResponse> {
  return async (request, { caller }) => {
    const result = await createNamespace(ports, caller, {
      namespaceName: request.namespaceName,
      description: request.description,
    });
    return result.ok ? ok({ namespace: namespaceToProto(result.value) }) : result;
  };
}
