import { buildEvent, type EventEnvelope } from "@strata/events";
import type { AlertRecord } from "../tables.js";

export interface AlertMatch {
  readonly alert: AlertRecord;
  readonly documentId: string;
  readonly collectionId: string;
  readonly score: number;
}

export function alertTriggeredEvent(match: AlertMatch, time: Date): EventEnvelope<"alert.triggered"> {
  const { alert } = match;
  return buildEvent(
    "alert.triggered",
    {
      service: "acl-query",
      organizationId: alert.organization_id,
      namespaceId: alert.namespace_id,
      subject: alert.id,
      time,
    },
    {
      alert_id: alert.id,
      alert_name: alert.alert_name,
      retriever_id: alert.retriever_id,
      document_id: match.documentId,
      collection_id: match.collectionId,
      namespace_id: alert.namespace_id,
      organization_id: alert.organization_id,
      score: match.score,
      score_threshold: alert.score_threshold,
    },
  );
}
