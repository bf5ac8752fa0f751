import type { Caller } from "@strata/access";
import { type AppError, ok, type Result, type ValidationIssue } from "@strata/errors";
import type { NamespaceData } from "../namespace-data.js";
import { type QueryInput, resolveQueryVector } from "../query-vector.js";
import type { AlertQueryRecord, RetrieverRecord } from "../tables.js";

export interface StoredAlertQuery {
  readonly query: AlertQueryRecord;
  readonly queryVector: readonly number[];
}

export function checkThreshold(value: number, issues: ValidationIssue[]): void {
  if (!Number.isFinite(value)) {
    issues.push({
      location: "body.score_threshold",
      message: "score_threshold must be a finite number",
      type: "type",
    });
  }
}

/**
 * Resolves an alert's query to the vector it is scored with. A document query is pinned to the
 * collection the document was found in, so re-resolving it later reads the same document.
 */
export async function resolveAlertQuery(
  data: NamespaceData,
  caller: Caller,
  namespaceId: string,
  retriever: RetrieverRecord,
  query: QueryInput,
): Promise<Result<StoredAlertQuery, AppError>> {
  const resolved = await resolveQueryVector(data, caller, namespaceId, retriever, query);
  if (!resolved.ok) return resolved;
  const { vector, source } = resolved.value;
  switch (query.kind) {
    case "vector":
      return ok({ query: { kind: "vector" }, queryVector: vector });
    case "text":
      return ok({ query: { kind: "text", text: query.text }, queryVector: vector });
    case "document":
      return ok({
        query: {
          kind: "document",
          document_id: query.documentId,
          collection_id: source?.collectionId ?? query.collectionIdentifier ?? "",
        },
        queryVector: vector,
      });
  }
}

/** The stored query as an input again (to re-resolve it against another retriever). */
export function queryInputOf(query: AlertQueryRecord, vector: readonly number[]): QueryInput {
  switch (query.kind) {
    case "vector":
      return { kind: "vector", values: vector };
    case "text":
      return { kind: "text", text: query.text };
    case "document":
      return { kind: "document", documentId: query.document_id, collectionIdentifier: query.collection_id };
  }
}
