import type { Caller } from "@strata/access";
import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, err, forbidden, notFound, ok, type Result } from "@strata/errors";
import { canChangeAcl, canSee, canWrite } from "../../shared/document-visibility.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { resolveCollection } from "../collections/api.js";
import type { CollectionRecord } from "../collections/tables.js";
import type { NamespaceRecord } from "../namespaces/tables.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey } from "./tables.js";

export interface DocumentScope {
  readonly namespace: NamespaceRecord;
  readonly collection: Versioned<CollectionRecord>;
}

/** The namespace (re-checked against the caller) and the active collection a document call acts in. */
export async function resolveDocumentScope(
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
): Promise<Result<DocumentScope, AppError>> {
  const namespace = await resolveNamespaceScope(session, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const collection = await resolveCollection(session, namespace.value, collectionIdentifier);
  if (!collection.ok) return collection;
  return ok({ namespace: namespace.value, collection: collection.value });
}

/**
 * A document of this collection. The store key joins collection and document id, so an id that
 * exists in another collection (or namespace) is simply not found here.
 */
export async function findDocument(
  session: DocStoreSession,
  collection: CollectionRecord,
  documentId: string,
): Promise<Result<Versioned<DocumentRecord>, AppError>> {
  const found = await session
    .table<DocumentRecord>(DOCUMENTS_TABLE)
    .get(documentKey(collection.id, documentId));
  // The checks below hold by construction of the key; they guard against a corrupt record.
  if (
    found === undefined ||
    found.record.collection_id !== collection.id ||
    found.record.namespace_id !== collection.namespace_id
  ) {
    return err(notFound("document", documentId));
  }
  return ok(found);
}

/** What a call does with a document: read it, change it (write access), or change its ACL (owner). */
export type DocumentNeed = "read" | "write" | "acl";

/**
 * A document of this collection the caller may use. One the caller's ACL filter hides answers
 * exactly as a missing one (the same not_found, after the same single lookup); one it sees but may
 * not change answers forbidden.
 */
export async function findAccessibleDocument(
  session: DocStoreSession,
  caller: Caller,
  collection: CollectionRecord,
  documentId: string,
  need: DocumentNeed,
): Promise<Result<Versioned<DocumentRecord>, AppError>> {
  const found = await findDocument(session, collection, documentId);
  if (!found.ok) return found;
  const record = found.value.record;
  if (!canSee(caller, collection.namespace_id, record)) return err(notFound("document", documentId));
  if (need === "write" && !canWrite(caller, record)) {
    return err(forbidden("This principal may not change the document (not its owner, not in _acl.write)"));
  }
  if (need === "acl" && !canChangeAcl(caller, record)) {
    return err(forbidden("Only the document's owner or an organization key changes its ACL"));
  }
  return found;
}
