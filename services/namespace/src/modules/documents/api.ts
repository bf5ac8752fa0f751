// What other modules may use of documents (besides the records in tables.ts): batches write
// documents through the same checks as a single create, a collection delete removes its documents
// page by page with their events, search compiles filters like a list does, and a taxonomy change
// asks the label index which documents carry the labels it removes.

export {
  cloneDocuments,
  clonedCollection,
  clonedDocument,
  documentTurns,
  sourceDocumentTurns,
} from "./clone.js";
export {
  type InsertedDocument,
  insertDocument,
  type NewDocumentInput,
  planDocument,
} from "./create-document.js";
export {
  type DeletedPage,
  deleteCollectionDocumentsPage,
} from "./delete-collection-documents.js";
export { resolveDocumentScope } from "./document-access.js";
export type { DocumentDeletionCause } from "./document-events.js";
export { compileDocumentFilter } from "./document-filter.js";
export type { AclInput, VectorValues } from "./document-input.js";
export { documentsWithLabels, type LabelledDocument } from "./document-label-index.js";
export type { PlanSession } from "./plan-reads.js";
export { type WritePlan, writeWithStagedVectors } from "./staged-write.js";
