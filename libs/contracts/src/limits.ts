// The limits of the public contracts, each written once. The gateway refuses what is out of shape
// with them (so OpenAPI documents them); the owning service checks them again, because gRPC callers
// do not go through the gateway. A guard test fails when one is written anywhere else.

/** Numbers in one vector: a feature's declared dimensions, a document's or a query's vector. */
export const MAX_DIMENSIONS = 4096;

/** Documents in one batch request. */
export const MAX_BATCH_DOCUMENTS = 10_000;

/** Resources one batch create call makes (CreateBuckets, CreateCollections, CreateRetrievers). */
export const MAX_CREATE_BATCH = 500;

/** Nesting of a free-form JSON object (metadata, key attributes), the object itself included. */
export const MAX_JSON_DEPTH = 8;

/** Entries of a document ACL's read or write list (principals or `role:<name>`). */
export const MAX_ACL_ENTRIES = 256;

/** Characters of one principal: a document owner or an ACL entry. */
export const MAX_PRINCIPAL_LENGTH = 256;

/** Nodes of one taxonomy. */
export const MAX_TAXONOMY_NODES = 10_000;

/** Characters of a text query (embedded by a built-in extractor). */
export const MAX_QUERY_TEXT_LENGTH = 10_000;

/** Hits a retriever returns (top_k). */
export const MAX_TOP_K = 1000;

/** Sends per second a webhook may be limited to (its `rate_limit_per_second`). */
export const MAX_WEBHOOK_RATE_PER_SECOND = 10_000;

/** Collections one retriever searches. */
export const MAX_RETRIEVER_COLLECTIONS = 16;
