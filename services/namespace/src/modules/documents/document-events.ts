import { buildEvent, type EventEnvelope } from "@strata/events";
import type { DocumentRecord } from "./tables.js";

export type DocumentField = "metadata" | "features" | "text" | "taxonomy_labels" | "acl";

function origin(doc: DocumentRecord, time: Date) {
  return {
    service: "namespace",
    organizationId: doc.organization_id,
    namespaceId: doc.namespace_id,
    // Document ids are unique only within a collection; the subject names both.
    subject: `${doc.collection_id}/${doc.document_id}`,
    time,
  };
}

function ref(doc: DocumentRecord) {
  return {
    document_id: doc.document_id,
    collection_id: doc.collection_id,
    namespace_id: doc.namespace_id,
    organization_id: doc.organization_id,
    tier: doc.tier,
  };
}

export function documentCreatedEvent(doc: DocumentRecord, time: Date): EventEnvelope<"document.created"> {
  return buildEvent("document.created", origin(doc, time), {
    ...ref(doc),
    feature_uris: [...doc.feature_uris],
  });
}

export function documentUpdatedEvent(
  doc: DocumentRecord,
  changedFields: readonly DocumentField[],
  time: Date,
): EventEnvelope<"document.updated"> {
  return buildEvent("document.updated", origin(doc, time), {
    ...ref(doc),
    feature_uris: [...doc.feature_uris],
    changed_fields: [...changedFields],
  });
}

export type DocumentDeletionCause = "document_deleted" | "collection_deleted" | "namespace_deleted";

export function documentDeletedEvent(
  doc: DocumentRecord,
  cause: DocumentDeletionCause,
  time: Date,
): EventEnvelope<"document.deleted"> {
  return buildEvent("document.deleted", origin(doc, time), { ...ref(doc), cause });
}
