import type { alertV1 } from "@strata/proto";
import type { AlertRecord } from "../../domain/tables.js";
import { alertQueryToProto } from "../query-mapping.js";

export function alertToProto(alert: AlertRecord): alertV1.Alert {
  return {
    alertId: alert.id,
    namespaceId: alert.namespace_id,
    alertName: alert.alert_name,
    description: alert.description,
    retrieverId: alert.retriever_id,
    query: alertQueryToProto(alert.query, alert.query_vector),
    scoreThreshold: alert.score_threshold,
    active: alert.active,
    createdAt: new Date(alert.created_at),
    updatedAt: new Date(alert.updated_at),
  };
}
