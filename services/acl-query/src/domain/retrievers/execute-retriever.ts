import type { Caller } from "@strata/access";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import type { FilterJson } from "@strata/filter";
import { authorize } from "../access.js";
import type { SearchHitInfo } from "../namespace-data.js";
import type { AclQueryPorts } from "../ports.js";
import { type QueryInput, resolveQueryVector } from "../query-vector.js";
import { resolveRetriever } from "./retriever-access.js";
import { parseRetrieverFilter, storedFilter } from "./retriever-filter.js";
import { checkTopK } from "./retriever-input.js";

export interface ExecuteInput {
  readonly query: QueryInput;
  /** ANDed with the retriever's own filter; undefined for none. */
  readonly filters: unknown;
  /** Undefined keeps the retriever's top_k. */
  readonly topK: number | undefined;
  /** Scan the cold tier too (slow). */
  readonly includeCold?: boolean;
}

export interface ExecuteOutcome {
  readonly retrieverId: string;
  /** Best first. */
  readonly results: readonly SearchHitInfo[];
  /** How many cold documents were scanned; undefined when the cold tier was not. */
  readonly coldScanned?: number | undefined;
}

/**
 * Runs a retriever: resolves the query to a vector, then asks the namespace service's search for
 * the nearest documents of the retriever's collections, for the caller (so its checks apply).
 */
export async function executeRetriever(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
  input: ExecuteInput,
): Promise<Result<ExecuteOutcome, AppError>> {
  const scope = authorize(caller, "read", namespaceId);
  if (!scope.ok) return scope;
  const issues: ValidationIssue[] = [];
  if (input.topK !== undefined) checkTopK(input.topK, "body.top_k", issues);
  let extraFilter: FilterJson | undefined;
  if (input.filters !== undefined) {
    const parsed = parseRetrieverFilter(input.filters, "body.filters");
    if (!parsed.ok) return parsed;
    extraFilter = storedFilter(parsed.value);
  }
  if (issues.length > 0) return err(validationFailed(issues));

  const found = await resolveRetriever(ports.store, caller, namespaceId, identifier);
  if (!found.ok) return found;
  const retriever = found.value.record;
  const query = await resolveQueryVector(ports.namespaceData, caller, namespaceId, retriever, input.query);
  if (!query.ok) return query;

  const filters = combine(retriever.filters, extraFilter);
  const hits = await ports.namespaceData.search(caller, {
    namespaceId,
    collectionIds: retriever.collection_ids,
    featureUri: retriever.feature_uri,
    vector: query.value.vector,
    topK: input.topK ?? retriever.top_k,
    filters,
    scoreThreshold: retriever.score_threshold,
    excludeDocumentIds: query.value.source === undefined ? [] : [query.value.source.documentId],
    includeCold: input.includeCold === true,
  });
  if (!hits.ok) return hits;
  return ok({ retrieverId: retriever.id, results: hits.value.hits, coldScanned: hits.value.coldScanned });
}

function combine(own: FilterJson | null, extra: FilterJson | undefined): FilterJson | null {
  if (extra === undefined) return own;
  if (own === null) return extra;
  return { AND: [own, extra] };
}
