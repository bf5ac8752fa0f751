import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { alertV1 } from "@strata/proto";
import { getAlert } from "../../domain/alerts/read-alerts.js";
import type { AclQueryPorts } from "../../domain/ports.js";
import { alertToProto } from "./alert-mapping.js";

export function getAlertHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<alertV1.GetAlertRequest, alertV1.GetAlertResponse> {
  return async (request, { caller }) => {
    const found = await getAlert(ports, caller, request.namespaceId, request.identifier);
    return found.ok ? ok({ alert: alertToProto(found.value) }) : found;
  };
}
