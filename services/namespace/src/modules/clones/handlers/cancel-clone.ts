import { conflict, err, ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { cloneV1 } from "@strata/proto";
import { cancelClone } from "../clone-status.js";
import type { ClonePorts } from "../ports.js";
import { cloneTaskToProto } from "./clone-mapping.js";

export function cancelCloneHandler(
  ports: ClonePorts,
): UnaryHandlerWithCaller<cloneV1.CancelCloneRequest, cloneV1.CancelCloneResponse> {
  return async (request, { caller }) => {
    const status = await cancelClone(ports, caller, request.namespaceId);
    if (!status.ok) return status;
    // A finished copy cannot be taken back by a cancel: the clone is a namespace like any other now.
    if (status.value.status === "ready")
      return err(
        conflict(`The clone ${request.namespaceId} is ready already; delete the namespace instead`, {
          namespace_id: request.namespaceId,
          clone_status: "ready",
        }),
      );
    return ok({ task: cloneTaskToProto(status.value) });
  };
}
