import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import { type AppError, err, ok, type Result, unavailable } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import {
  type DeletedPage,
  type DocumentDeletionCause,
  deleteCollectionDocumentsPage,
} from "../documents/api.js";
import { DOCUMENTS_TABLE, type DocumentRecord } from "../documents/tables.js";
import { resolveCollection } from "./collection-access.js";
import type { CollectionPorts } from "./ports.js";
import { COLLECTIONS_TABLE, type CollectionRecord, displayName } from "./tables.js";

export interface DeletedCollection {
  readonly collection: CollectionRecord;
  readonly deletedDocuments: number;
}

/**
 * Deletes a collection and its documents, inside this call:
 *  1. one transaction marks it `deleting` — hidden from reads, closed to writes, its name free;
 *  2. documents go in transactions of DELETE_PAGE_SIZE (the documents module deletes them), each
 *     with its document.deleted event;
 *  3. its vectors leave the hot index, and the collection record goes.
 * Limit: the work is proportional to the document count and runs within the caller's deadline. If
 * the call is cut short, the collection stays hidden in `deleting`; repeating the delete with the
 * collection id resumes. (A tracked background task replaces this later, DESIGN §6.)
 */
export async function deleteCollection(
  ports: CollectionPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<DeletedCollection, AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  const marked = await retryOnConflict(() =>
    ports.store.transaction<CollectionRecord, AppError | Conflict>(async (tx) => {
      const namespace = await resolveNamespaceScope(tx, caller, namespaceId);
      if (!namespace.ok) return namespace;
      const found = await resolveCollection(tx, namespace.value, identifier, { includeDeleting: true });
      if (!found.ok) return found;
      const { record, version } = found.value;
      if (record.state === "deleting") return ok(record);
      const deleting: CollectionRecord = {
        ...record,
        state: "deleting",
        collection_name: null,
        deleting_name: record.collection_name ?? "",
        updated_at: ports.clock().toISOString(),
      };
      const replaced = await tx.table<CollectionRecord>(COLLECTIONS_TABLE).replace(deleting, version);
      return replaced.ok ? ok(deleting) : err(CONFLICT);
    }),
  );
  if (!marked.ok) return marked;
  const collection = marked.value;
  const removed = await removeCollectionData(ports, collection, "collection_deleted");
  if (!removed.ok) return removed;
  return ok({
    collection: { ...collection, collection_name: displayName(collection) },
    deletedDocuments: removed.value,
  });
}

/**
 * Steps 2 and 3 of a delete, for a collection already marked `deleting` (by deleteCollection, or
 * by a namespace purge): its documents, each with a document.deleted event that names `cause`, then
 * its vectors, then its record. Answers how many documents went. Safe to repeat after a failure.
 */
export async function removeCollectionData(
  ports: CollectionPorts,
  collection: CollectionRecord,
  cause: DocumentDeletionCause,
): Promise<Result<number, AppError>> {
  let deletedDocuments = 0;
  let stalled = 0;
  for (;;) {
    const page = await ports.store.transaction<DeletedPage, never>(async (tx) =>
      ok(await deleteCollectionDocumentsPage(ports, tx, collection.id, cause)),
    );
    if (!page.ok) break;
    deletedDocuments += page.value.deleted;
    if (page.value.deleted > 0) ports.eventsCommitted();
    if (page.value.found > 0) {
      // Every document of the page changed under us: read again, but not forever.
      stalled = page.value.deleted === 0 ? stalled + 1 : 0;
      if (stalled >= 5) return err(unavailable("The collection's documents are changing; repeat the delete"));
      continue;
    }
    // Nothing left in the store: the vectors go next (a failure leaves the collection in
    // `deleting`, so repeating the delete finishes it), then the record, unless a write that raced the `deleting` mark slipped a
    // document in (possible under MongoDB's snapshot isolation); then delete that one too.
    const vectorsRemoved = await ports.vectors.removeCollection(collection);
    if (!vectorsRemoved.ok) return vectorsRemoved;
    const finished = await ports.store.transaction<boolean, never>(async (tx) => {
      if ((await tx.table<DocumentRecord>(DOCUMENTS_TABLE).count({ collection_id: collection.id })) > 0)
        return ok(false);
      await tx.table<CollectionRecord>(COLLECTIONS_TABLE).delete(collection.id);
      return ok(true);
    });
    if (finished.ok && finished.value) break;
  }
  return ok(deletedDocuments);
}
