import { processOnce } from "@strata/bus";
import { type AppError, err, ok, type Result } from "@strata/errors";
import type { EventData } from "@strata/events";
import { toPredicate } from "@strata/filter";
import type { Caller } from "@strata/grpc";
// The scoring subpath, not the package: the package loads the native vector index, which an
// acl-query container does not need.
import { exactScore } from "@strata/hotindex/scoring";
import type { DocumentInfo } from "../namespace-data.js";
import type { AclQueryPorts } from "../ports.js";
import { parseRetrieverFilter } from "../retrievers/retriever-filter.js";
import { ALERTS_TABLE, type AlertRecord, RETRIEVERS_TABLE, type RetrieverRecord } from "../tables.js";
import { type AlertMatch, alertTriggeredEvent } from "./alert-events.js";

/** The inbox consumer name: each document.created event is evaluated once. */
export const ALERT_EVALUATOR = "acl_query_alerts";

export interface NewDocumentEvent {
  readonly eventId: string;
  readonly data: EventData<"document.created">;
}

export type EvaluationOutcome =
  | { readonly kind: "no_alerts" }
  | { readonly kind: "document_gone" }
  | { readonly kind: "duplicate" }
  | { readonly kind: "evaluated"; readonly triggered: readonly AlertMatch[] };

/**
 * Scores a new document against the active alerts of its namespace and publishes alert.triggered
 * for each match, through the outbox in the transaction that marks the event processed (a
 * redelivered event finds the mark and publishes nothing twice). Errors are the namespace
 * service's (unavailable: retry later).
 */
export async function evaluateAlerts(
  ports: AclQueryPorts,
  event: NewDocumentEvent,
): Promise<Result<EvaluationOutcome, AppError>> {
  const { data } = event;
  const alerts = await ports.store.table<AlertRecord>(ALERTS_TABLE).find({
    where: { organization_id: data.organization_id, namespace_id: data.namespace_id, active: true },
  });
  if (alerts.length === 0) return ok({ kind: "no_alerts" });
  const retrievers = await retrieversOf(
    ports,
    alerts.map((a) => a.record),
  );
  const fetched = await ports.namespaceData.getDocument(
    internalReader(data.organization_id, data.namespace_id),
    data.namespace_id,
    data.collection_id,
    data.document_id,
  );
  if (!fetched.ok) {
    // Deleted before we got to it: nothing to alert on any more.
    return fetched.error.kind === "not_found" ? ok({ kind: "document_gone" }) : fetched;
  }
  const document = fetched.value;
  const triggered = alerts.flatMap(({ record: alert }) => {
    const retriever = retrievers.get(alert.retriever_id);
    if (retriever === undefined) return [];
    const score = scoreFor(alert, retriever, document);
    return score === undefined
      ? []
      : [{ alert, documentId: document.documentId, collectionId: document.collectionId, score }];
  });
  const time = ports.clock();
  const processed = await processOnce<readonly AlertMatch[], AppError>(
    ports.store,
    ALERT_EVALUATOR,
    event.eventId,
    async (tx) => {
      for (const match of triggered) await ports.appendEvent(tx, alertTriggeredEvent(match, time));
      return ok(triggered);
    },
  );
  if (!processed.ok) return err(processed.error);
  if (processed.value === "duplicate") return ok({ kind: "duplicate" });
  if (triggered.length > 0) ports.eventsCommitted();
  return ok({ kind: "evaluated", triggered });
}

/**
 * The alert's score for the document, or undefined when the document is outside the retriever
 * (another collection, fails its filter, no vector for its feature) or scores below the threshold.
 */
export function scoreFor(
  alert: AlertRecord,
  retriever: RetrieverRecord,
  document: DocumentInfo,
): number | undefined {
  if (!retriever.collection_ids.includes(document.collectionId)) return undefined;
  if (retriever.filters !== null) {
    const filter = parseRetrieverFilter(retriever.filters, "filters");
    if (!filter.ok || !toPredicate(filter.value)(filterView(document))) return undefined;
  }
  const vector = document.features[retriever.feature_uri];
  if (vector === undefined || vector.length !== alert.query_vector.length) return undefined;
  const score = exactScore(retriever.metric, alert.query_vector, vector);
  return score >= alert.score_threshold ? score : undefined;
}

/** The fields a retriever filter can name, as the search sees them. */
function filterView(document: DocumentInfo): Record<string, unknown> {
  return {
    document_id: document.documentId,
    collection_id: document.collectionId,
    metadata: document.metadata,
    tier: document.tier,
    created_at: document.createdAt,
    updated_at: document.updatedAt,
  };
}

async function retrieversOf(
  ports: AclQueryPorts,
  alerts: readonly AlertRecord[],
): Promise<Map<string, RetrieverRecord>> {
  const ids = [...new Set(alerts.map((a) => a.retriever_id))];
  const rows = await ports.store
    .table<RetrieverRecord>(RETRIEVERS_TABLE)
    .find({ where: { id: { $in: ids } } });
  return new Map(rows.map((r) => [r.record.id, r.record]));
}

/**
 * The caller alert evaluation reads documents as: nobody's key, but the event's organization and
 * namespace only, with read permission only, so the namespace service's checks still bound it.
 */
export function internalReader(organizationId: string, namespaceId: string): Caller {
  return {
    organizationId,
    keyId: "internal:acl-query",
    permissions: ["read"],
    namespaces: [namespaceId],
    roles: [],
    attributes: {},
  };
}
