import type { Caller } from "@strata/access";
import { type AppError, err, isRetryable, ok, type Result } from "@strata/errors";
import type { EventData } from "@strata/events";
import { compileVisibility, type FilterJson, MATCH_NOTHING } from "@strata/filter";
import { namespaceRules } from "../acl/compile-caller-visibility.js";
import type { AclQueryPorts } from "../ports.js";
import {
  ALERTS_TABLE,
  type AlertPrincipal,
  type AlertRecord,
  RETRIEVERS_TABLE,
  type RetrieverRecord,
} from "../tables.js";
import { type AlertMatch, alertTriggeredEvent } from "./alert-events.js";

/** The inbox consumer name: each document.created event is evaluated once. */
export const ALERT_EVALUATOR = "acl_query_alerts";

export interface NewDocumentEvent {
  readonly eventId: string;
  readonly data: EventData<"document.created">;
}

export type EvaluationOutcome =
  | { readonly kind: "no_alerts" }
  | { readonly kind: "duplicate" }
  | { readonly kind: "evaluated"; readonly triggered: readonly AlertMatch[] };

/**
 * Scores a new document against the active alerts of its namespace and publishes alert.triggered
 * for each match, through the outbox in the transaction that marks the event processed (a
 * redelivered event finds the mark and publishes nothing twice).
 *
 * Each alert is checked by the namespace service's own search, narrowed to this one document: its
 * retriever's collections and filter (taxonomy conditions included) and the alert's threshold
 * mean exactly what they mean when the retriever is executed, and the score is the index's. A
 * document deleted meanwhile simply is not found. Errors are the namespace service's (unavailable:
 * retry later).
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
  const reader = internalReader(data.organization_id, data.namespace_id);
  const triggered: AlertMatch[] = [];
  for (const { record: alert } of alerts) {
    const retriever = retrievers.get(alert.retriever_id);
    if (retriever === undefined || !retriever.collection_ids.includes(data.collection_id)) continue;
    const alertReader =
      alert.principal === undefined ? reader : await principalReader(ports, reader, alert.principal);
    const hits = await ports.namespaceData.search(alertReader, {
      namespaceId: data.namespace_id,
      collectionIds: [data.collection_id],
      featureUri: retriever.feature_uri,
      vector: alert.query_vector,
      topK: 1,
      filters: onlyDocument(retriever.filters, data.document_id),
      scoreThreshold: alert.score_threshold,
      excludeDocumentIds: [],
    });
    if (!hits.ok) {
      if (isRetryable(hits.error.kind)) return hits;
      // The collection or a taxonomy the filter names is gone: this alert cannot match.
      continue;
    }
    const [hit] = hits.value.hits;
    if (hit === undefined) continue;
    triggered.push({ alert, documentId: hit.documentId, collectionId: hit.collectionId, score: hit.score });
  }
  const time = ports.clock();
  const processed = await ports.processOnce<readonly AlertMatch[], AppError>(
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

/** The retriever's filter, narrowed to one document. */
function onlyDocument(filters: FilterJson | null, documentId: string): FilterJson {
  const thisDocument: FilterJson = { field: "document_id", operator: "eq", value: documentId };
  return filters === null ? thisDocument : { AND: [filters, thisDocument] };
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

/**
 * The reader of an alert an end user created: the principal, with its visibility filter compiled
 * from the namespace's rules now, so the namespace's search shows it only what it may see.
 */
async function principalReader(
  ports: Pick<AclQueryPorts, "store">,
  reader: Caller,
  principal: AlertPrincipal,
): Promise<Caller> {
  const namespaceId = reader.namespaces[0] ?? "";
  const caller = {
    ...reader,
    principalId: principal.principal_id,
    roles: [...principal.roles],
    attributes: { ...principal.attributes },
  };
  const rules = await namespaceRules(ports, reader.organizationId, namespaceId);
  const filter = rules === undefined ? MATCH_NOTHING : compileVisibility(rules, caller);
  return { ...caller, visibility: { namespaceId, filter } };
}
