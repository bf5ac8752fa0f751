import type { retrieverV1 } from "@strata/proto";
import type { SearchHitInfo } from "../../domain/namespace-data.js";
import type { RetrieverRecord } from "../../domain/tables.js";

export function retrieverToProto(retriever: RetrieverRecord): retrieverV1.Retriever {
  return {
    retrieverId: retriever.id,
    namespaceId: retriever.namespace_id,
    retrieverName: retriever.retriever_name,
    description: retriever.description,
    collectionIds: [...retriever.collection_ids],
    featureUri: retriever.feature_uri,
    topK: retriever.top_k,
    ...(retriever.filters === null ? {} : { filters: { ...retriever.filters } }),
    ...(retriever.score_threshold === null ? {} : { scoreThreshold: retriever.score_threshold }),
    createdAt: new Date(retriever.created_at),
    updatedAt: new Date(retriever.updated_at),
  };
}

export function resultToProto(hit: SearchHitInfo): retrieverV1.RetrieverResult {
  return {
    documentId: hit.documentId,
    collectionId: hit.collectionId,
    score: hit.score,
    metadata: { ...hit.metadata },
    sourceTier: hit.sourceTier,
  };
}
