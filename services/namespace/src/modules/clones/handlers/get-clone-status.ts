import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { cloneV1 } from "@strata/proto";
import { cloneStatus } from "../clone-status.js";
import type { ClonePorts } from "../ports.js";
import { cloneTaskToProto } from "./clone-mapping.js";

export function getCloneStatusHandler(
  ports: ClonePorts,
): UnaryHandlerWithCaller<cloneV1.GetCloneStatusRequest, cloneV1.GetCloneStatusResponse> {
  return async (request, { caller }) => {
    const status = await cloneStatus(ports, caller, request.namespaceId);
    return status.ok ? ok({ task: cloneTaskToProto(status.value) }) : status;
  };
}
