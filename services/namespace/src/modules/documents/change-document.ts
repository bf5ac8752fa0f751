import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { checkJsonObject, type JsonObject, jsonEqual } from "../../shared/json-value.js";
import { requirePermission } from "../../shared/namespace-access.js";
import { withExtractedFeatures } from "../../shared/vectors/extracted-features.js";
import type { CollectionRecord } from "../collections/tables.js";
import { checkTaxonomyLabels } from "../taxonomies/api.js";
import { findAccessibleDocument, resolveDocumentScope } from "./document-access.js";
import { type DocumentField, documentDeletedEvent, documentUpdatedEvent } from "./document-events.js";
import {
  type AclInput,
  checkAcl,
  checkText,
  checkVectors,
  type FeatureVectors,
  METADATA_LIMITS,
} from "./document-input.js";
import { indexDocumentLabels } from "./document-label-index.js";
import { labelFields } from "./document-labels.js";
import type { DocumentPorts } from "./ports.js";
import { type StagedWrite, sameVectors, writeWithStagedVectors } from "./staged-write.js";
import {
  byFeatureUri,
  DOCUMENTS_TABLE,
  type DocumentRecord,
  documentKey,
  type StoredVector,
  type TaxonomyLabelRecord,
} from "./tables.js";

/**
 * A document update replaces each given field as a whole and keeps the others: `metadata` is the
 * new metadata object (not merged), `features` the new set of vectors (URIs left out are removed),
 * `text` the new text ("" removes it), `taxonomyLabels` the new labels. A PUT sends every field.
 */
export interface DocumentChanges {
  readonly metadata?: unknown;
  readonly features?: FeatureVectors | undefined;
  readonly text?: string | undefined;
  readonly taxonomyLabels?: readonly TaxonomyLabelRecord[] | undefined;
  /** The new ACL, whole (PUT …/acl): only the owner or an org key may change it. */
  readonly acl?: AclInput | undefined;
}

export async function updateDocument(
  ports: DocumentPorts,
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
  const acl = changes.acl === undefined ? undefined : checkAcl(changes.acl, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  const now = ports.clock();
  let changedFields: readonly DocumentField[] = [];
  let removedUris: string[] = [];
  let collectionOfRemoved: CollectionRecord | undefined;
  // The tier a document outside hot left by landing hot again: its copy there is removed after.
  let leftTier: DocumentRecord["tier"] | undefined;
  const write: StagedWrite<Planned, DocumentRecord> = {
    plan: async (session, writeId) => {
      const scope = await resolveDocumentScope(session, caller, namespaceId, collectionIdentifier);
      if (!scope.ok) return scope;
      const collection = scope.value.collection.record;
      const need = changes.acl === undefined ? "write" : "acl";
      const found = await findAccessibleDocument(session, caller, collection, documentId, need);
      if (!found.ok) return found;
      const { record: current, version } = found.value;
      const problems: ValidationIssue[] = [];
      const metadata = (changes.metadata as JsonObject | undefined) ?? current.metadata;
      if (changes.metadata !== undefined)
        problems.push(...ports.metadataValidators.validate(collection, metadata));
      const labels =
        changes.taxonomyLabels === undefined
          ? current.taxonomy_labels
          : await checkTaxonomyLabels(session, scope.value.namespace, changes.taxonomyLabels, problems);
      const text = changes.text === undefined ? current.text : changes.text === "" ? null : changes.text;
      // A document outside hot is read from its tier; writing it lands it hot again (ADR 0023).
      const currentVectors = await ports.vectors.read(
        collection,
        current.document_id,
        current.feature_uris,
        current.tier,
      );
      if (!currentVectors.ok) return currentVectors;
      const vectors = nextVectors(
        collection,
        changes,
        text,
        text !== current.text,
        currentVectors.value,
        problems,
      );
      if (problems.length > 0) return err(validationFailed(problems));
      const changed: DocumentField[] = [];
      if (!jsonEqual(metadata, current.metadata)) changed.push("metadata");
      if (!sameVectors(vectors, currentVectors.value)) changed.push("features");
      if (text !== current.text) changed.push("text");
      if (!jsonEqual(labels, current.taxonomy_labels)) changed.push("taxonomy_labels");
      if (acl !== undefined && !jsonEqual(acl, current._acl)) changed.push("acl");
      if (changed.length === 0) return ok({ work: { current, version, changed }, documents: [] });
      const updated: DocumentRecord = {
        ...current,
        metadata,
        // An archived document keeps naming the features it had until new vectors are written.
        feature_uris:
          current.tier === "archive" && vectors.length === 0
            ? current.feature_uris
            : vectors.map((f) => f.feature_uri),
        text,
        ...labelFields(labels),
        _acl: acl ?? current._acl,
        ...landsHot(current, vectors.length > 0, now),
        updated_at: now.toISOString(),
        vector_write_id: writeId,
      };
      // The vectors carry the fields filters run on: rewrite them whenever anything changed.
      return ok({
        work: { current, version, changed, updated, collection },
        documents: [{ record: updated, collection, vectors }],
      });
    },
    apply: async (tx, { current, version, changed, updated, collection }) => {
      changedFields = changed;
      if (updated === undefined || collection === undefined) return ok({ value: current, written: [] });
      const replaced = await tx.table<DocumentRecord>(DOCUMENTS_TABLE).replace(updated, version);
      if (!replaced.ok) return err("retry");
      await indexDocumentLabels(tx, current, updated);
      await ports.appendEvent(tx, documentUpdatedEvent(updated, changed, now));
      removedUris = current.feature_uris.filter((uri) => !updated.feature_uris.includes(uri));
      collectionOfRemoved = collection;
      leftTier = current.tier !== updated.tier ? current.tier : undefined;
      return ok({ value: updated, written: [updated.document_id] });
    },
  };
  // The turn names the collection by id: a read here, repeated in each plan.
  const scope = await resolveDocumentScope(ports.store, caller, namespaceId, collectionIdentifier);
  if (!scope.ok) return scope;
  // An update that keeps the vectors reads them: it plans in its document's turn, where no earlier
  // write's vectors are still on their way to the index (ADR 0013).
  const turn = { collectionId: scope.value.collection.record.id, documentIds: [documentId] };
  const result = await writeWithStagedVectors(ports, write, turn);
  if (result.ok && changedFields.length > 0) {
    ports.eventsCommitted();
    if (removedUris.length > 0 && collectionOfRemoved !== undefined)
      await forgetVectors(ports, collectionOfRemoved, [documentId], removedUris);
    if (leftTier !== undefined && collectionOfRemoved !== undefined)
      await forgetLeftCopy(ports, collectionOfRemoved, documentId, leftTier);
  }
  return result;
}

/** What an update writes: nothing when no field changed. */
interface Planned {
  readonly current: DocumentRecord;
  readonly version: number;
  readonly changed: readonly DocumentField[];
  readonly updated?: DocumentRecord;
  readonly collection?: CollectionRecord;
}

/**
 * The document's vectors after the change: the given set when `features` is given (URIs left out
 * are removed), else the current set with built-in features re-extracted when the text changed.
 */
function nextVectors(
  collection: CollectionRecord,
  changes: DocumentChanges,
  text: string | null,
  textChanged: boolean,
  current: readonly StoredVector[],
  problems: ValidationIssue[],
): StoredVector[] {
  if (changes.features !== undefined) {
    const given = checkVectors(collection, changes.features, problems);
    return withExtractedFeatures(collection, given, text, problems);
  }
  if (!textChanged) return [...current];
  const extracted = withExtractedFeatures(collection, [], text, problems);
  const kept = current.filter((v) => !extracted.some((e) => e.feature_uri === v.feature_uri));
  return [...kept, ...extracted].sort(byFeatureUri);
}

/**
 * Removes vectors after their document's change committed. A failure leaves an orphan that no
 * search returns (hits are re-read from the document store), so it does not fail the call.
 */
async function forgetVectors(
  ports: DocumentPorts,
  collection: CollectionRecord,
  documentIds: readonly string[],
  featureUris: readonly string[],
  tier?: DocumentRecord["tier"],
): Promise<void> {
  await ports.vectors.remove(collection, documentIds, featureUris, tier);
}

/**
 * Removes the copy a document left in its old tier when an update landed it hot, in the document's
 * turn and only if its pointer has not gone back to that tier since (a move there in between made
 * that copy the truth again).
 */
async function forgetLeftCopy(
  ports: DocumentPorts,
  collection: CollectionRecord,
  documentId: string,
  tier: DocumentRecord["tier"],
): Promise<void> {
  await ports.vectors.exclusive(collection.id, [documentId], async () => {
    const now = await ports.store
      .table<DocumentRecord>(DOCUMENTS_TABLE)
      .get(documentKey(collection.id, documentId));
    if (now?.record.tier !== tier) await forgetVectors(ports, collection, [documentId], [], tier);
  });
}

/**
 * An update writes the document's vectors to the hot index, so a document outside hot that keeps
 * vectors comes back hot (its old tier's copy is removed once the change commits; until then, or
 * if that removal fails, it is an orphan no read or search follows, since the pointer says hot). An archived one without vectors stays archived.
 */
function landsHot(
  current: DocumentRecord,
  hasVectors: boolean,
  now: Date,
): Pick<DocumentRecord, "tier" | "tier_changed_at"> | Record<string, never> {
  if (current.tier === "hot" || !hasVectors) return {};
  return { tier: "hot", tier_changed_at: now.toISOString() };
}

/** Deletes a document; its vectors go after the commit, before another write of its id begins. */
export async function deleteDocument(
  ports: DocumentPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  documentId: string,
): Promise<Result<DocumentRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  // The lock names the collection by id: a read here, repeated inside the transaction.
  const scope = await resolveDocumentScope(ports.store, caller, namespaceId, collectionIdentifier);
  if (!scope.ok) return scope;
  return ports.vectors.exclusive(scope.value.collection.record.id, [documentId], () =>
    deleteNow(ports, caller, namespaceId, collectionIdentifier, documentId),
  );
}

async function deleteNow(
  ports: DocumentPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  documentId: string,
): Promise<Result<DocumentRecord, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  let collection: CollectionRecord | undefined;
  const result = await retryOnConflict(() =>
    ports.store.transaction<DocumentRecord, AppError | Conflict>(async (tx) => {
      const scope = await resolveDocumentScope(tx, caller, namespaceId, collectionIdentifier);
      if (!scope.ok) return scope;
      collection = scope.value.collection.record;
      const found = await findAccessibleDocument(tx, caller, collection, documentId, "write");
      if (!found.ok) return found;
      const { record, version } = found.value;
      if (!(await tx.table<DocumentRecord>(DOCUMENTS_TABLE).delete(record.id, version))) return err(CONFLICT);
      await indexDocumentLabels(tx, record, undefined);
      await ports.appendEvent(tx, documentDeletedEvent(record, "document_deleted", ports.clock()));
      return ok(record);
    }),
  );
  if (result.ok) {
    ports.eventsCommitted();
    if (collection !== undefined)
      await forgetVectors(
        ports,
        collection,
        [result.value.document_id],
        result.value.feature_uris,
        result.value.tier,
      );
  }
  return result;
}
