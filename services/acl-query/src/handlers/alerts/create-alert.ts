import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { alertV1 } from "@strata/proto";
import { createAlert } from "../../domain/alerts/create-alert.js";
import type { AclQueryPorts } from "../../domain/ports.js";
import { queryFromProto } from "../query-mapping.js";
import { alertToProto } from "./alert-mapping.js";

export function createAlertHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<alertV1.CreateAlertRequest, alertV1.CreateAlertResponse> {
  return async (request, { caller }) => {
    const query = queryFromProto(request.query);
    if (!query.ok) return query;
    const created = await createAlert(ports, caller, request.namespaceId, {
      alertName: request.alertName,
      description: request.description,
      retrieverIdentifier: request.retrieverIdentifier,
      query: query.value,
      scoreThreshold: request.scoreThreshold,
      active: request.active,
    });
    return created.ok ? ok({ alert: alertToProto(created.value) }) : created;
  };
}
