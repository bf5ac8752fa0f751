import { type AppError, ok, type Result } from "@strata/errors";
import type { StagedDocument } from "../../shared/vectors/document-vectors.js";
import type { DocumentPorts } from "./ports.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey } from "./tables.js";

export interface SettledVectors {
  /** Documents whose staged vectors were committed (their transaction had committed). */
  readonly kept: number;
  /** Documents whose staged vectors were dropped (rolled back, or written again since). */
  readonly dropped: number;
}

/**
 * Settles the staged writes a crash left in doubt (ADR 0013), before the service takes writes:
 * a write's vectors are kept for exactly the documents whose record names the write, since a
 * record names it only if the transaction that staged it committed and no later write replaced it.
 */
export async function settleStagedVectors(ports: DocumentPorts): Promise<Result<SettledVectors, AppError>> {
  const doubts = await ports.vectors.inDoubt();
  if (!doubts.ok) return doubts;
  const documents = ports.store.table<DocumentRecord>(DOCUMENTS_TABLE);
  let kept = 0;
  let dropped = 0;
  for (const doubt of doubts.value) {
    const keep: StagedDocument[] = [];
    for (const doc of doubt.documents) {
      const found = await documents.get(documentKey(doc.collectionId, doc.documentId));
      if (found?.record.vector_write_id === doubt.writeId) keep.push(doc);
    }
    const settled = await doubt.settle(keep);
    if (!settled.ok) return settled;
    kept += keep.length;
    dropped += doubt.documents.length - keep.length;
  }
  return ok({ kept, dropped });
}
