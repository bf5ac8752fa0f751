import type { Caller } from "@strata/access";
import type { DocStoreSession } from "@strata/docstore";
import {
  type AppError,
  alreadyExists,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { newId } from "@strata/ids";
import { checkJsonObject, type JsonObject } from "../../shared/json-value.js";
import { requirePermission } from "../../shared/namespace-access.js";
import { withExtractedFeatures } from "../../shared/vectors/extracted-features.js";
import { vectorPayload } from "../../shared/vectors/vector-payload.js";
import type { CollectionRecord } from "../collections/tables.js";
import { checkTaxonomyLabels } from "../taxonomies/api.js";
import { type DocumentScope, resolveDocumentScope } from "./document-access.js";
import { documentCreatedEvent } from "./document-events.js";
import {
  type AclInput,
  checkAcl,
  checkDocumentId,
  checkText,
  checkVectors,
  type FeatureVectors,
  METADATA_LIMITS,
} from "./document-input.js";
import { labelFields } from "./document-labels.js";
import type { DocumentPorts } from "./ports.js";
import {
  DEFAULT_ACL,
  DOCUMENTS_TABLE,
  type DocumentRecord,
  documentKey,
  type StoredVector,
  type TaxonomyLabelRecord,
} from "./tables.js";

export interface NewDocumentInput {
  /** Chosen by the client, unique within the collection; generated (doc_…) when undefined. */
  readonly documentId?: string | undefined;
  /** Undefined means {}. */
  readonly metadata?: unknown;
  /** Vectors by feature URI (strata:// or mixpeek://). */
  readonly features: FeatureVectors;
  readonly text?: string | undefined;
  readonly taxonomyLabels: readonly TaxonomyLabelRecord[];
  /** Undefined means {owner: null, read: [], write: [], public: true}. */
  readonly acl?: AclInput | undefined;
  /** Where the document came from (a batch records its id); undefined means {}. */
  readonly lineage?: JsonObject | undefined;
}

/** A document as written: its record and the vectors that went to the vector store. */
export interface InsertedDocument {
  readonly record: DocumentRecord;
  readonly collection: CollectionRecord;
  readonly vectors: readonly StoredVector[];
}

/**
 * Writes a document to a collection, after checking everything against the collection (declared
 * features and dimensions, metadata schema) and the namespace's taxonomies. One transaction holds
 * the record and its document.created event; the vectors are made durable in the vector store
 * just before it commits (see DocumentVectors). A refused document leaves nothing behind.
 */
export async function createDocument(
  ports: DocumentPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  input: NewDocumentInput,
): Promise<Result<DocumentRecord, AppError>> {
  const result = await ports.store.transaction<DocumentRecord, AppError>(async (tx) => {
    const inserted = await insertDocument(ports, tx, caller, namespaceId, collectionIdentifier, input);
    if (!inserted.ok) return inserted;
    const written = await writeVectors(ports, [inserted.value]);
    return written.ok ? ok(inserted.value.record) : written;
  });
  if (result.ok) ports.eventsCommitted();
  return result;
}

/**
 * createDocument inside the caller's transaction (batches write many documents in one), without
 * the vectors: the caller hands every inserted document to `writeVectors` before it commits, and
 * calls `ports.eventsCommitted()` after. A refused document writes nothing, so the transaction
 * may go on with other work.
 */
export async function insertDocument(
  ports: DocumentPorts,
  tx: DocStoreSession,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  input: NewDocumentInput,
  /** The namespace and collection, when the caller resolved them already in this transaction. */
  resolved?: DocumentScope,
): Promise<Result<InsertedDocument, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  if (input.documentId !== undefined) checkDocumentId(input.documentId, issues);
  const metadata = input.metadata ?? {};
  checkJsonObject(metadata, "body.metadata", issues, METADATA_LIMITS);
  if (input.text !== undefined) checkText(input.text, issues);
  const acl = input.acl === undefined ? DEFAULT_ACL : checkAcl(input.acl, issues);
  if (issues.length > 0) return err(validationFailed(issues));
  const documentId = input.documentId ?? newId("document");
  const scope = resolved
    ? ok(resolved)
    : await resolveDocumentScope(tx, caller, namespaceId, collectionIdentifier);
  if (!scope.ok) return scope;
  const collection = scope.value.collection.record;
  const problems: ValidationIssue[] = [];
  const given = checkVectors(collection, input.features, problems);
  const vectors = withExtractedFeatures(collection, given, input.text, problems);
  problems.push(...ports.metadataValidators.validate(collection, metadata as JsonObject));
  const labels = await checkTaxonomyLabels(tx, scope.value.namespace, input.taxonomyLabels, problems);
  if (problems.length > 0) return err(validationFailed(problems));
  const now = ports.clock();
  const at = now.toISOString();
  const record: DocumentRecord = {
    id: documentKey(collection.id, documentId),
    document_id: documentId,
    collection_id: collection.id,
    namespace_id: collection.namespace_id,
    organization_id: collection.organization_id,
    metadata: metadata as JsonObject,
    feature_uris: vectors.map((v) => v.feature_uri),
    text: input.text === undefined || input.text === "" ? null : input.text,
    ...labelFields(labels),
    _acl: acl,
    tier: "hot",
    tier_changed_at: at,
    lineage: input.lineage ?? {},
    created_at: at,
    updated_at: at,
  };
  const inserted = await tx.table<DocumentRecord>(DOCUMENTS_TABLE).insert(record);
  if (!inserted.ok)
    return err(alreadyExists("document", { document_id: documentId, collection_id: collection.id }));
  await ports.appendEvent(tx, documentCreatedEvent(record, now));
  return ok({ record, collection, vectors });
}

/** Makes the inserted documents' vectors durable and searchable (one write per collection). */
export async function writeVectors(
  ports: DocumentPorts,
  documents: readonly InsertedDocument[],
): Promise<Result<void, AppError>> {
  const byCollection = new Map<string, InsertedDocument[]>();
  for (const doc of documents) {
    if (doc.vectors.length === 0) continue;
    const group = byCollection.get(doc.collection.id);
    if (group === undefined) byCollection.set(doc.collection.id, [doc]);
    else group.push(doc);
  }
  for (const group of byCollection.values()) {
    const [first] = group;
    if (first === undefined) continue;
    const written = await ports.vectors.write(
      first.collection,
      group.map((d) => ({
        documentId: d.record.document_id,
        vectors: d.vectors,
        payload: vectorPayload(d.record),
      })),
    );
    if (!written.ok) return written;
  }
  return ok(undefined);
}
