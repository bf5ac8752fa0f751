import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { alertV1 } from "@strata/proto";
import { updateAlert } from "../../domain/alerts/change-alert.js";
import type { AclQueryPorts } from "../../domain/ports.js";
import { queryFromProto } from "../query-mapping.js";
import { alertToProto } from "./alert-mapping.js";

export function updateAlertHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<alertV1.UpdateAlertRequest, alertV1.UpdateAlertResponse> {
  return async (request, { caller }) => {
    let query: ReturnType<typeof queryFromProto> | undefined;
    if (request.query !== undefined) {
      query = queryFromProto(request.query);
      if (!query.ok) return query;
    }
    const updated = await updateAlert(ports, caller, request.namespaceId, request.identifier, {
      alertName: request.alertName,
      description: request.description,
      retrieverIdentifier: request.retrieverIdentifier,
      query: query?.ok ? query.value : undefined,
      scoreThreshold: request.scoreThreshold,
      active: request.active,
    });
    return updated.ok ? ok({ alert: alertToProto(updated.value) }) : updated;
  };
}
