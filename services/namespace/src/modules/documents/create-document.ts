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
import { idFromSeed, newId } from "@strata/ids";
import { checkJsonObject, type JsonObject } from "../../shared/json-value.js";
import { requirePermission } from "../../shared/namespace-access.js";
import { checkRequestToken, createdBy } from "../../shared/request-token.js";
import { withExtractedFeatures } from "../../shared/vectors/extracted-features.js";
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
import { indexDocumentLabels } from "./document-label-index.js";
import { labelFields } from "./document-labels.js";
import type { DocumentPorts } from "./ports.js";
import { type PlannedDocument, writeWithStagedVectors } from "./staged-write.js";
import {
  DEFAULT_ACL,
  DOCUMENTS_TABLE,
  type DocumentAcl,
  type DocumentRecord,
  documentKey,
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
  /** Undefined: see `aclOnCreate` (the creating principal's own, or org-keys-only). */
  readonly acl?: AclInput | undefined;
  /** Where the document came from (a batch records its id); undefined means {}. */
  readonly lineage?: JsonObject | undefined;
  /** The gateway's request token (ADR 0016): a repeated creation answers the first document. */
  readonly requestToken?: string | undefined;
}

/** A document ready to be written: its record and the vectors that go to the vector store. */
export type InsertedDocument = PlannedDocument;

/**
 * Writes a document to a collection, after checking everything against the collection (declared
 * features and dimensions, metadata schema) and the namespace's taxonomies. One transaction holds
 * the record and its document.created event; the vectors are staged in the vector store before it
 * and committed after it (see writeWithStagedVectors). A refused document leaves nothing behind.
 * Under a request token an unnamed document takes its id from the token, and a creation that
 * finds the document its token made answers that document.
 */
export async function createDocument(
  ports: DocumentPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  input: NewDocumentInput,
): Promise<Result<DocumentRecord, AppError>> {
  // Chosen once, so that a write planned again (its basis moved) names the same document.
  const token = input.requestToken;
  const generated = token === undefined ? newId("document") : idFromSeed("document", token);
  const fixed = { ...input, documentId: input.documentId ?? generated };
  const now = ports.clock();
  const result = await writeWithStagedVectors<InsertedDocument, DocumentRecord>(ports, {
    plan: async (session, writeId) => {
      const planned = await planDocument(ports, session, caller, namespaceId, collectionIdentifier, fixed, {
        now,
        writeId,
      });
      return planned.ok ? ok({ work: planned.value, documents: [planned.value] }) : planned;
    },
    apply: async (tx, doc) => {
      const inserted = await insertDocument(ports, tx, doc, now);
      return inserted.ok ? ok({ value: doc.record, written: [doc.record.document_id] }) : inserted;
    },
  });
  if (result.ok) ports.eventsCommitted();
  if (result.ok || result.error.kind !== "already_exists" || token === undefined) return result;
  const scope = await resolveDocumentScope(ports.store, caller, namespaceId, collectionIdentifier);
  if (!scope.ok) return result;
  const key = documentKey(scope.value.collection.record.id, fixed.documentId);
  const earlier = await ports.store.table<DocumentRecord>(DOCUMENTS_TABLE).get(key);
  return earlier !== undefined && createdBy(earlier.record, token) ? ok(earlier.record) : result;
}

/**
 * Checks a new document and builds its record, reading only (the store or a transaction): the
 * caller stages its vectors and inserts it with `insertDocument`. A document id already taken is a
 * conflict here, so that a plan that passes names a free id.
 */
export async function planDocument(
  ports: DocumentPorts,
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  input: NewDocumentInput,
  write: { readonly now: Date; readonly writeId: string },
  /** The namespace and collection, when the caller resolved them already in this session. */
  resolved?: DocumentScope,
): Promise<Result<InsertedDocument, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const issues: ValidationIssue[] = [];
  if (input.documentId !== undefined) checkDocumentId(input.documentId, issues);
  const metadata = input.metadata ?? {};
  checkJsonObject(metadata, "body.metadata", issues, METADATA_LIMITS);
  if (input.text !== undefined) checkText(input.text, issues);
  checkRequestToken(input.requestToken, issues);
  const acl = aclOnCreate(caller, input.acl === undefined ? undefined : checkAcl(input.acl, issues));
  if (issues.length > 0) return err(validationFailed(issues));
  const documentId = input.documentId ?? newId("document");
  const scope = resolved
    ? ok(resolved)
    : await resolveDocumentScope(session, caller, namespaceId, collectionIdentifier);
  if (!scope.ok) return scope;
  const collection = scope.value.collection.record;
  const problems: ValidationIssue[] = [];
  const given = checkVectors(collection, input.features, problems);
  const vectors = withExtractedFeatures(collection, given, input.text, problems);
  problems.push(...ports.metadataValidators.validate(collection, metadata as JsonObject));
  const labels = await checkTaxonomyLabels(session, scope.value.namespace, input.taxonomyLabels, problems);
  if (problems.length > 0) return err(validationFailed(problems));
  const at = write.now.toISOString();
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
    vector_write_id: write.writeId,
    ...(input.requestToken === undefined ? {} : { request_token: input.requestToken }),
  };
  if ((await session.table<DocumentRecord>(DOCUMENTS_TABLE).get(record.id)) !== undefined)
    return err(alreadyExists("document", { document_id: documentId, collection_id: collection.id }));
  return ok({ record, collection, vectors });
}

/** Inserts a planned document, its label index rows and its document.created event in `tx`. */
export async function insertDocument(
  ports: DocumentPorts,
  tx: DocStoreSession,
  doc: InsertedDocument,
  now: Date,
): Promise<Result<void, AppError>> {
  const inserted = await tx.table<DocumentRecord>(DOCUMENTS_TABLE).insert(doc.record);
  if (!inserted.ok)
    return err(
      alreadyExists("document", { document_id: doc.record.document_id, collection_id: doc.collection.id }),
    );
  await indexDocumentLabels(tx, undefined, doc.record);
  await ports.appendEvent(tx, documentCreatedEvent(doc.record, now));
  return ok(undefined);
}

/**
 * The ACL a new document gets (ADR 0018). An end-user key's document is its principal's: owner,
 * reader and writer, whatever else the `_acl` given adds (the owner is always the creator). An org
 * key's document without `_acl` is for org keys only (not public).
 */
function aclOnCreate(caller: Caller, given: DocumentAcl | undefined): DocumentAcl {
  const principal = caller.principalId;
  if (principal === undefined) return given ?? DEFAULT_ACL;
  const acl = given ?? { ...DEFAULT_ACL };
  return {
    owner: principal,
    read: acl.read.includes(principal) ? acl.read : [principal, ...acl.read],
    write: acl.write.includes(principal) ? acl.write : [principal, ...acl.write],
    public: acl.public,
  };
}
