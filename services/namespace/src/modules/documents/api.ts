// What other modules may use of documents (besides the records in tables.ts): batches write
// documents through the same checks as a single create, collections delete theirs with the same
// event, search compiles filters like a list does.
export {
  type InsertedDocument,
  insertDocument,
  type NewDocumentInput,
  writeVectors,
} from "./create-document.js";
export { resolveDocumentScope } from "./document-access.js";
export { type DocumentDeletionCause, documentDeletedEvent } from "./document-events.js";
export { compileDocumentFilter } from "./document-filter.js";
export type { AclInput, VectorValues } from "./document-input.js";
