import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { cloneV1 } from "@strata/proto";
import { namespaceToProto } from "../../namespaces/handlers/namespace-mapping.js";
import { acceptClone } from "../accept-clone.js";
import type { ClonePorts } from "../ports.js";
import { cloneTaskToProto } from "./clone-mapping.js";

export function cloneNamespaceHandler(
  ports: ClonePorts,
): UnaryHandlerWithCaller<cloneV1.CloneNamespaceRequest, cloneV1.CloneNamespaceResponse> {
  return async (request, { caller }) => {
    const accepted = await acceptClone(ports, caller, request.sourceIdentifier, {
      namespaceName: request.namespaceName,
      description: request.description,
      includeWebhooks: request.includeWebhooks,
    });
    if (!accepted.ok) return accepted;
    const { namespace, task } = accepted.value;
    return ok({
      namespace: namespaceToProto(namespace),
      // The task as accepted: the copy may be further already, clone-status says how far.
      task: cloneTaskToProto({
        taskId: task.id,
        namespaceId: task.namespace_id,
        sourceNamespaceId: task.source_namespace_id,
        status: task.status,
        progress: task.progress,
        reason: task.reason,
      }),
    });
  };
}
