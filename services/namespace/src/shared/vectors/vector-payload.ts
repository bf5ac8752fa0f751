import type { DocumentRecord } from "../../modules/documents/tables.js";
import type { VectorPayload } from "./document-vectors.js";

/**
 * The fields of a document that search filters run on inside the vector index, including the ones
 * the compiled ACL filter reads (`_acl`, `collection_id`), so visibility is decided in the index.
 */
export function vectorPayload(record: DocumentRecord): VectorPayload {
  return {
    document_id: record.document_id,
    collection_id: record.collection_id,
    _acl: record._acl,
    metadata: record.metadata,
    taxonomy_terms: record.taxonomy_terms,
    tier: record.tier,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}
