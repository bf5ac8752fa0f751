import type { alertV1 } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, timestamp } from "./common.js";
import { queryView, queryViewSchema } from "./retriever-view.js";

export const alertSchema = z
  .object({
    alert_id: z.string(),
    namespace_id: z.string(),
    alert_name: z.string(),
    description: z.string(),
    retriever_id: z.string(),
    query: queryViewSchema,
    score_threshold: z.number(),
    active: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Alert" });

export type AlertView = z.infer<typeof alertSchema>;

export function alertView(alert: alertV1.Alert | undefined): AlertView {
  if (alert === undefined) throw new Error("the alert service answered without an alert");
  const created = isoOrNull(alert.createdAt) ?? new Date(0).toISOString();
  return {
    alert_id: alert.alertId,
    namespace_id: alert.namespaceId,
    alert_name: alert.alertName,
    description: alert.description,
    retriever_id: alert.retrieverId,
    query: queryView(alert.query),
    score_threshold: alert.scoreThreshold,
    active: alert.active,
    created_at: created,
    updated_at: isoOrNull(alert.updatedAt) ?? created,
  };
}
