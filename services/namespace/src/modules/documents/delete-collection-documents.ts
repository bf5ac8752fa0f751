import type { DocStoreSession } from "@strata/docstore";
import { type DocumentDeletionCause, documentDeletedEvent } from "./document-events.js";
import { indexDocumentLabels } from "./document-label-index.js";
import type { DocumentPorts } from "./ports.js";
import { DOCUMENTS_TABLE, type DocumentRecord } from "./tables.js";

/** Documents deleted per transaction (each with its document.deleted event). */
export const DELETE_PAGE_SIZE = 200;

export interface DeletedPage {
  /** Documents of the collection the page read. */
  readonly found: number;
  /** Of those, how many went (the others changed since the read). */
  readonly deleted: number;
}

/**
 * Deletes up to DELETE_PAGE_SIZE documents of a collection inside `tx`, each with a
 * document.deleted event that names `cause`: how a collection delete (or a namespace purge) removes
 * its documents page by page. Their vectors are the caller's to remove once none is left.
 */
export async function deleteCollectionDocumentsPage(
  ports: Pick<DocumentPorts, "appendEvent" | "clock">,
  tx: DocStoreSession,
  collectionId: string,
  cause: DocumentDeletionCause,
): Promise<DeletedPage> {
  const table = tx.table<DocumentRecord>(DOCUMENTS_TABLE);
  const documents = await table.find({ where: { collection_id: collectionId }, limit: DELETE_PAGE_SIZE });
  const now = ports.clock();
  let deleted = 0;
  for (const { record, version } of documents) {
    // A document changed since the read is left for the next page, never deleted without its event.
    if (!(await table.delete(record.id, version))) continue;
    await indexDocumentLabels(tx, record, undefined);
    await ports.appendEvent(tx, documentDeletedEvent(record, cause, now));
    deleted += 1;
  }
  return { found: documents.length, deleted };
}
