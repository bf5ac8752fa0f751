import type { Caller } from "@strata/access";
import { listPage, type Where } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import { visibilityFilter } from "../../shared/document-visibility.js";
import { requirePermission } from "../../shared/namespace-access.js";
import { DATA_LIST_LIMIT_MAX, isValidListLimit } from "../../shared/namespace-scope.js";
import { findAccessibleDocument, resolveDocumentScope } from "./document-access.js";
import { compileDocumentFilter, documentStoreWhere } from "./document-filter.js";
import type { DocumentPorts } from "./ports.js";
import { DOCUMENTS_TABLE, type DocumentRecord } from "./tables.js";

export async function getDocument(
  ports: DocumentPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  documentId: string,
): Promise<Result<DocumentRecord, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  const scope = await resolveDocumentScope(ports.store, caller, namespaceId, collectionIdentifier);
  if (!scope.ok) return scope;
  const found = await findAccessibleDocument(
    ports.store,
    caller,
    scope.value.collection.record,
    documentId,
    "read",
  );
  return found.ok ? ok(found.value.record) : found;
}

export interface DocumentPage {
  readonly documents: readonly DocumentRecord[];
  readonly nextCursor: string | null;
}

export interface DocumentListRequest {
  /** The filter language's JSON form; undefined lists every document. */
  readonly filters?: unknown;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/** The collection's documents matching the filter, newest first (created_at descending, ties by key). */
export async function listDocuments(
  ports: DocumentPorts,
  caller: Caller,
  namespaceId: string,
  collectionIdentifier: string,
  request: DocumentListRequest,
): Promise<Result<DocumentPage, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  if (!isValidListLimit(request.limit)) {
    return err(badRequest(`limit must be between 1 and ${DATA_LIST_LIMIT_MAX}`, { limit: request.limit }));
  }
  const scope = await resolveDocumentScope(ports.store, caller, namespaceId, collectionIdentifier);
  if (!scope.ok) return scope;
  const collection = scope.value.collection.record;
  const conditions: Where[] = [{ collection_id: collection.id }];
  if (request.filters !== undefined) {
    const filter = await compileDocumentFilter(
      ports.store,
      scope.value.namespace,
      [collection],
      request.filters,
      caller,
    );
    if (!filter.ok) return filter;
    const where = documentStoreWhere(filter.value, collection);
    if (!where.ok) return where;
    conditions.push(where.value);
  }
  // The ACL filter is part of the store query, so pages and cursors never see hidden documents.
  const visibility = visibilityFilter(caller, collection.namespace_id);
  if (visibility !== undefined) {
    const where = documentStoreWhere(visibility, collection);
    if (!where.ok) return where;
    conditions.push(where.value);
  }
  const page = await listPage(ports.store.table<DocumentRecord>(DOCUMENTS_TABLE), {
    where: { $and: conditions },
    limit: request.limit,
    cursor: request.cursor,
    direction: "desc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  return ok({ documents: page.value.records.map((v) => v.record), nextCursor: page.value.nextCursor });
}
