import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { alertV1 } from "@strata/proto";
import { deleteAlert } from "../../domain/alerts/change-alert.js";
import type { AclQueryPorts } from "../../domain/ports.js";
import { alertToProto } from "./alert-mapping.js";

export function deleteAlertHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<alertV1.DeleteAlertRequest, alertV1.DeleteAlertResponse> {
  return async (request, { caller }) => {
    const deleted = await deleteAlert(ports, caller, request.namespaceId, request.identifier);
    return deleted.ok ? ok({ alert: alertToProto(deleted.value) }) : deleted;
  };
}
