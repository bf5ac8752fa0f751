import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import type { Caller } from "@strata/grpc";
import type { DataPorts } from "../data-ports.js";
import { checkJsonObject, type JsonObject, jsonEqual } from "../json-value.js";
import { requirePermission } from "../namespace-access.js";
import { checkTaxonomyLabels } from "../taxonomies/taxonomy-labels.js";
import { CONFLICT, type Conflict, retryOnConflict } from "../tx-retry.js";
import { labelFields } from "./create-document.js";
import { findDocument, resolveDocumentScope } from "./document-access.js";
import { type DocumentField, documentDeletedEvent, documentUpdatedEvent } from "./document-events.js";
import { checkText, checkVectors, METADATA_LIMITS } from "./document-input.js";
import { DOCUMENTS_TABLE, type DocumentRecord, type TaxonomyLabelRecord } from "./document-tables.js";

/**
 * A document update replaces each given field as a whole and keeps the others: `metadata` is the
 * new metadata object (not merged), `features` the new set of vectors (URIs left out are removed),
 * `text` the new text ("" removes it), `taxonomyLabels` the new labels. A PUT sends every field.
 */
export interface DocumentChanges {
  readonly metadata?: unknown;
  readonly features?: Readonly<Record<string, readonly number[]>> | undefined;
  readonly text?: string | undefined;
  readonly taxonomyLabels?: readonly TaxonomyLabelRecord[] | undefined;
}

export async function updateDocument(
  ports: DataPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  documentId: string,
  changes: DocumentChanges,
): Promise<Result<DocumentRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  if (changes.metadata !== undefined)
    checkJsonObject(changes.metadata, "body.metadata", issues, METADATA_LIMITS);
  if (changes.text !== undefined) checkText(changes.text, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  let emitted = false;
  const result = await retryOnConflict(() =>
    ports.store.transaction<DocumentRecord, AppError | Conflict>(async (tx) => {
      emitted = false;
      const scope = await resolveDocumentScope(tx, caller, namespaceId, collectionIdentifier);
      if (!scope.ok) return scope;
      const collection = scope.value.collection.record;
      const found = await findDocument(tx, collection, documentId);
      if (!found.ok) return found;
      const { record: current, version } = found.value;
      const problems: ValidationIssue[] = [];
      const metadata = (changes.metadata as JsonObject | undefined) ?? current.metadata;
      if (changes.metadata !== undefined)
        problems.push(...ports.metadataValidators.validate(collection, metadata));
      const features =
        changes.features === undefined
          ? current.features
          : checkVectors(collection, changes.features, problems);
      const labels =
        changes.taxonomyLabels === undefined
          ? current.taxonomy_labels
          : await checkTaxonomyLabels(tx, scope.value.namespace, changes.taxonomyLabels, problems);
      if (problems.length > 0) return err(validationFailed(problems));
      const text = changes.text === undefined ? current.text : changes.text === "" ? null : changes.text;
      const changed: DocumentField[] = [];
      if (!jsonEqual(metadata, current.metadata)) changed.push("metadata");
      if (!jsonEqual(features, current.features)) changed.push("features");
      if (text !== current.text) changed.push("text");
      if (!jsonEqual(labels, current.taxonomy_labels)) changed.push("taxonomy_labels");
      if (changed.length === 0) return ok(current);
      const now = ports.clock();
      const updated: DocumentRecord = {
        ...current,
        metadata,
        features,
        feature_uris: features.map((f) => f.feature_uri),
        text,
        ...labelFields(labels),
        updated_at: now.toISOString(),
      };
      const replaced = await tx.table<DocumentRecord>(DOCUMENTS_TABLE).replace(updated, version);
      if (!replaced.ok) return err(CONFLICT);
      await ports.appendEvent(tx, documentUpdatedEvent(updated, changed, now));
      emitted = true;
      return ok(updated);
    }),
  );
  if (result.ok && emitted) ports.eventsCommitted();
  return result;
}

export async function deleteDocument(
  ports: DataPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  documentId: string,
): Promise<Result<DocumentRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const result = await retryOnConflict(() =>
    ports.store.transaction<DocumentRecord, AppError | Conflict>(async (tx) => {
      const scope = await resolveDocumentScope(tx, caller, namespaceId, collectionIdentifier);
      if (!scope.ok) return scope;
      const found = await findDocument(tx, scope.value.collection.record, documentId);
      if (!found.ok) return found;
      const { record, version } = found.value;
      if (!(await tx.table<DocumentRecord>(DOCUMENTS_TABLE).delete(record.id, version))) return err(CONFLICT);
      await ports.appendEvent(tx, documentDeletedEvent(record, "document_deleted", ports.clock()));
      return ok(record);
    }),
  );
  if (result.ok) ports.eventsCommitted();
  return result;
}
