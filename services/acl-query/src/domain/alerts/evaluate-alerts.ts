import type { Caller } from "@strata/access";
import { type AppError, err, isRetryable, ok, type Result, unavailable } from "@strata/errors";
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
 * redelivered event finds the mark and publishes nothing twice). See `evaluateAlertChunk`.
 */
export async function evaluateAlerts(
  ports: AclQueryPorts,
  event: NewDocumentEvent,
): Promise<Result<EvaluationOutcome, AppError>> {
  const [outcome] = await evaluateAlertChunk(ports, [event]);
  return outcome ?? err(unavailable("the alert evaluation answered nothing"));
}

/**
 * `evaluateAlerts` for many events at once, one outcome per event in order: an ingest announces
 * thousands of documents a second, and a namespace's alerts are read once per chunk and each alert
 * is checked by one search narrowed to the chunk's documents of a collection, not one per document.
 *
 * Each alert is checked by the namespace service's own search: its retriever's collections and
 * filter (taxonomy conditions included) and the alert's threshold mean exactly what they mean when
 * the retriever is executed, and the score is the index's. A document deleted meanwhile simply is
 * not found. Errors are the namespace service's (unavailable: every event of that namespace is
 * retried later).
 */
export async function evaluateAlertChunk(
  ports: AclQueryPorts,
  events: readonly NewDocumentEvent[],
): Promise<Result<EvaluationOutcome, AppError>[]> {
  const byNamespace = new Map<string, NewDocumentEvent[]>();
  for (const event of events) {
    const key = `${event.data.organization_id}/${event.data.namespace_id}`;
    const group = byNamespace.get(key);
    if (group === undefined) byNamespace.set(key, [event]);
    else group.push(event);
  }
  const outcomes = new Map<NewDocumentEvent, Result<EvaluationOutcome, AppError>>();
  for (const group of byNamespace.values()) {
    const matched = await matchNamespace(ports, group);
    for (const event of group) {
      if (!matched.ok) outcomes.set(event, matched);
      else if (matched.value === "no_alerts") outcomes.set(event, ok({ kind: "no_alerts" }));
      else outcomes.set(event, await recordMatches(ports, event, matched.value.get(event) ?? []));
    }
  }
  return events.map((event) => outcomes.get(event) ?? err(unavailable("the event was not evaluated")));
}

/** The alerts of one namespace that each of its new documents triggers. */
async function matchNamespace(
  ports: AclQueryPorts,
  events: readonly NewDocumentEvent[],
): Promise<Result<"no_alerts" | Map<NewDocumentEvent, AlertMatch[]>, AppError>> {
  const [first] = events;
  if (first === undefined) return ok("no_alerts");
  const { organization_id: organizationId, namespace_id: namespaceId } = first.data;
  const alerts = await ports.store.table<AlertRecord>(ALERTS_TABLE).find({
    where: { organization_id: organizationId, namespace_id: namespaceId, active: true },
  });
  if (alerts.length === 0) return ok("no_alerts");
  const retrievers = await retrieversOf(
    ports,
    alerts.map((a) => a.record),
  );
  const reader = internalReader(organizationId, namespaceId);
  const matches = new Map<NewDocumentEvent, AlertMatch[]>(events.map((e) => [e, []]));
  for (const { record: alert } of alerts) {
    const retriever = retrievers.get(alert.retriever_id);
    if (retriever === undefined) continue;
    const alertReader =
      alert.principal === undefined ? reader : await principalReader(ports, reader, alert.principal);
    for (const [collectionId, newDocuments] of byCollection(events, retriever.collection_ids)) {
      const documentIds = [...newDocuments.keys()];
      const hits = await ports.namespaceData.search(alertReader, {
        namespaceId,
        collectionIds: [collectionId],
        featureUri: retriever.feature_uri,
        vector: alert.query_vector,
        topK: documentIds.length,
        filters: onlyDocuments(retriever.filters, documentIds),
        scoreThreshold: alert.score_threshold,
        excludeDocumentIds: [],
      });
      if (!hits.ok) {
        if (isRetryable(hits.error.kind)) return hits;
        // The collection or a taxonomy the filter names is gone: this alert cannot match.
        continue;
      }
      for (const hit of hits.value.hits) {
        for (const event of newDocuments.get(hit.documentId) ?? []) {
          const match = {
            alert,
            documentId: hit.documentId,
            collectionId: hit.collectionId,
            score: hit.score,
          };
          matches.get(event)?.push(match);
        }
      }
    }
  }
  return ok(matches);
}

/** The new documents of the retriever's collections, by collection and document id. */
function byCollection(
  events: readonly NewDocumentEvent[],
  collectionIds: readonly string[],
): Map<string, Map<string, NewDocumentEvent[]>> {
  const grouped = new Map<string, Map<string, NewDocumentEvent[]>>();
  for (const event of events) {
    const { collection_id: collectionId, document_id: documentId } = event.data;
    if (!collectionIds.includes(collectionId)) continue;
    const documents = grouped.get(collectionId) ?? new Map<string, NewDocumentEvent[]>();
    grouped.set(collectionId, documents);
    documents.set(documentId, [...(documents.get(documentId) ?? []), event]);
  }
  return grouped;
}

/** Publishes the event's matches with the mark that it was processed (once per event id). */
async function recordMatches(
  ports: AclQueryPorts,
  event: NewDocumentEvent,
  triggered: readonly AlertMatch[],
): Promise<Result<EvaluationOutcome, AppError>> {
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

/** The retriever's filter, narrowed to these documents. */
function onlyDocuments(filters: FilterJson | null, documentIds: readonly string[]): FilterJson {
  const these: FilterJson = { field: "document_id", operator: "in", value: [...documentIds] };
  return filters === null ? these : { AND: [filters, these] };
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
