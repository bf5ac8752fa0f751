import type { Caller } from "@strata/access";
import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
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
