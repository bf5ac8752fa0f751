import { isTierName, MAX_QUERY_TEXT_LENGTH, TIERS } from "@strata/contracts";
import type { retrieverV1 } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, timestamp } from "./common.js";
import { numberVector } from "./number-vector.js";

export const retrieverSchema = z
  .object({
    retriever_id: z.string(),
    namespace_id: z.string(),
    retriever_name: z.string(),
    description: z.string(),
    collection_ids: z.array(z.string()),
    feature_uri: z.string(),
    top_k: z.number().int(),
    filters: z.record(z.string(), z.unknown()).nullable(),
    score_threshold: z.number().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Retriever" });

export type RetrieverView = z.infer<typeof retrieverSchema>;

export function retrieverView(retriever: retrieverV1.Retriever | undefined): RetrieverView {
  if (retriever === undefined) throw new Error("the retriever service answered without a retriever");
  const created = isoOrNull(retriever.createdAt) ?? new Date(0).toISOString();
  return {
    retriever_id: retriever.retrieverId,
    namespace_id: retriever.namespaceId,
    retriever_name: retriever.retrieverName,
    description: retriever.description,
    collection_ids: [...retriever.collectionIds],
    feature_uri: retriever.featureUri,
    top_k: retriever.topK,
    filters: retriever.filters ?? null,
    score_threshold: retriever.scoreThreshold ?? null,
    created_at: created,
    updated_at: isoOrNull(retriever.updatedAt) ?? created,
  };
}

/** What to search near: exactly one of vector, document_id (with an optional collection) or text. */
export const queryInputSchema = z
  .strictObject({
    vector: numberVector.optional(),
    document_id: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe("Search like this document (left out of the results)"),
    collection_id: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe("The document's collection id or name; default: the retriever's collections in order"),
    text: z
      .string()
      .min(1)
      .max(MAX_QUERY_TEXT_LENGTH)
      .optional()
      .describe("Only for features with a built-in extractor"),
  })
  .refine((q) => [q.vector, q.document_id, q.text].filter((v) => v !== undefined).length === 1, {
    message: "Give exactly one of vector, document_id or text",
  })
  .refine((q) => q.collection_id === undefined || q.document_id !== undefined, {
    message: "collection_id goes with document_id",
  });

export type QueryInputView = z.infer<typeof queryInputSchema>;

export function queryToProto(query: QueryInputView): retrieverV1.RetrieverQuery {
  if (query.vector !== undefined) return { vector: { values: query.vector } };
  if (query.text !== undefined) return { text: query.text };
  return {
    document: { documentId: query.document_id ?? "", collectionIdentifier: query.collection_id ?? "" },
  };
}

export const queryViewSchema = z
  .object({
    vector: z.array(z.number()).optional(),
    document_id: z.string().optional(),
    collection_id: z.string().optional(),
    text: z.string().optional(),
  })
  .meta({ id: "RetrieverQuery" });

export function queryView(query: retrieverV1.RetrieverQuery | undefined): z.infer<typeof queryViewSchema> {
  if (query?.vector !== undefined) return { vector: [...query.vector.values] };
  if (query?.text !== undefined) return { text: query.text };
  if (query?.document !== undefined) {
    return { document_id: query.document.documentId, collection_id: query.document.collectionIdentifier };
  }
  throw new Error("the alert service answered without a query");
}

export const executeResultSchema = z
  .object({
    document_id: z.string(),
    collection_id: z.string(),
    score: z.number(),
    metadata: z.record(z.string(), z.unknown()),
    _source_tier: z.enum(TIERS),
  })
  .meta({ id: "RetrieverResult" });

export const executeResponseSchema = z
  .object({
    retriever_id: z.string(),
    results: z.array(executeResultSchema),
    cold_scanned: z.boolean().describe("True when include_cold was asked and the cold tier was scanned"),
    cold_documents_scanned: z.number().int().describe("How many cold documents the scan read (0 when none)"),
  })
  .meta({ id: "RetrieverExecution" });

export function executeView(
  answer: retrieverV1.ExecuteRetrieverResponse,
): z.infer<typeof executeResponseSchema> {
  return {
    retriever_id: answer.retrieverId,
    cold_scanned: answer.coldScanned,
    cold_documents_scanned: Number(answer.coldDocumentsScanned),
    results: answer.results.map((r) => {
      const tier = r.sourceTier;
      if (!isTierName(tier)) throw new Error(`the retriever service answered tier ${tier}`);
      return {
        document_id: r.documentId,
        collection_id: r.collectionId,
        score: r.score,
        metadata: r.metadata ?? {},
        _source_tier: tier,
      };
    }),
  };
}
