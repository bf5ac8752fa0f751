import type { Caller } from "@strata/access";
import { canonicalFeatureUri, FEATURE_URI_FORMAT } from "@strata/contracts";
import {
  type AppError,
  alreadyExists,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { checkResourceDescription, checkResourceName, newId } from "@strata/ids";
import { authorize } from "../access.js";
import type { AclQueryPorts } from "../ports.js";
import { RETRIEVERS_TABLE, type RetrieverRecord } from "../tables.js";
import { resolveRetrieverCollections } from "./retriever-collections.js";
import { checkFilterFields, parseRetrieverFilter, storedFilter } from "./retriever-filter.js";
import {
  checkCollectionIdentifiers,
  checkScoreThreshold,
  checkTopK,
  TOP_K_DEFAULT,
} from "./retriever-input.js";

export interface NewRetrieverInput {
  readonly retrieverName: string;
  readonly description: string;
  readonly collectionIdentifiers: readonly string[];
  readonly featureUri: string;
  /** Undefined takes the default (10). */
  readonly topK: number | undefined;
  /** The filter language's JSON form; undefined for none. */
  readonly filters: unknown;
  readonly scoreThreshold: number | undefined;
}

export async function createRetriever(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  input: NewRetrieverInput,
): Promise<Result<RetrieverRecord, AppError>> {
  const scope = authorize(caller, "write", namespaceId);
  if (!scope.ok) return scope;
  const issues: ValidationIssue[] = [];
  checkResourceName("retriever", "retriever_name", input.retrieverName, issues);
  checkResourceDescription(input.description, issues);
  checkCollectionIdentifiers(input.collectionIdentifiers, issues);
  const featureUri = checkFeatureUri(input.featureUri, issues);
  const topK = checkTopK(input.topK ?? TOP_K_DEFAULT, "body.top_k", issues);
  if (input.scoreThreshold !== undefined)
    checkScoreThreshold(input.scoreThreshold, "body.score_threshold", issues);
  const filter = parseOptionalFilter(input.filters, issues);
  if (issues.length > 0 || featureUri === undefined) return err(validationFailed(issues));

  const resolved = await resolveRetrieverCollections(
    ports.namespaceData,
    caller,
    namespaceId,
    input.collectionIdentifiers,
    featureUri,
  );
  if (!resolved.ok) return resolved;
  if (filter !== undefined) checkFilterFields(filter, resolved.value.collections, "body.filters", issues);
  if (issues.length > 0) return err(validationFailed(issues, "Filter is invalid"));

  const now = ports.clock().toISOString();
  const record: RetrieverRecord = {
    id: newId("retriever"),
    organization_id: caller.organizationId,
    namespace_id: namespaceId,
    retriever_name: input.retrieverName,
    description: input.description,
    collection_ids: resolved.value.collectionIds,
    feature_uri: featureUri,
    dimensions: resolved.value.dimensions,
    metric: resolved.value.metric,
    top_k: topK,
    filters: filter === undefined ? null : storedFilter(filter),
    score_threshold: input.scoreThreshold ?? null,
    created_at: now,
    updated_at: now,
  };
  const inserted = await ports.store.table<RetrieverRecord>(RETRIEVERS_TABLE).insert(record);
  if (!inserted.ok) return err(alreadyExists("retriever", { retriever_name: input.retrieverName }));
  return ok(record);
}

export function checkFeatureUri(text: string, issues: ValidationIssue[]): string | undefined {
  const uri = canonicalFeatureUri(text);
  if (uri === undefined) {
    issues.push({
      location: "body.feature_uri",
      message: `feature_uri must look like ${FEATURE_URI_FORMAT}`,
      type: "invalid_format",
    });
  }
  return uri;
}

/** A filter given as JSON, or undefined when none was given; parse problems go to `issues`. */
export function parseOptionalFilter(json: unknown, issues: ValidationIssue[]): BoundFilterNode | undefined {
  if (json === undefined) return undefined;
  const parsed = parseRetrieverFilter(json, "body.filters");
  if (parsed.ok) return parsed.value;
  const found = parsed.error.details?.validation_errors;
  if (Array.isArray(found)) issues.push(...(found as ValidationIssue[]));
  else issues.push({ location: "body.filters", message: parsed.error.message, type: "invalid" });
  return undefined;
}
