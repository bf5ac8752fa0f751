import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { alertV1 } from "@strata/proto";
import { listAlerts } from "../../domain/alerts/read-alerts.js";
import type { AclQueryPorts } from "../../domain/ports.js";
import { alertToProto } from "./alert-mapping.js";

export function listAlertsHandler(
  ports: AclQueryPorts,
): UnaryHandlerWithCaller<alertV1.ListAlertsRequest, alertV1.ListAlertsResponse> {
  return async (request, { caller }) => {
    const page = await listAlerts(ports, caller, request.namespaceId, {
      limit: request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    return page.ok
      ? ok({ alerts: page.value.records.map(alertToProto), nextCursor: page.value.nextCursor ?? "" })
      : page;
  };
}
