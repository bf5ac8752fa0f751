import type { DocumentRecord } from "../../modules/documents/tables.js";
import type { VectorPayload } from "./document-vectors.js";

/** The fields of a document that search filters run on inside the vector index. */
export function vectorPayload(record: DocumentRecord): VectorPayload {
  return {
    document_id: record.document_id,
    metadata: record.metadata,
    taxonomy_terms: record.taxonomy_terms,
    tier: record.tier,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}
