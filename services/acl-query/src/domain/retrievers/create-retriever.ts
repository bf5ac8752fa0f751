import type { Caller } from "@strata/access";
import { canonicalFeatureUri, FEATURE_URI_FORMAT } from "@strata/contracts";
import { insertEachNamed } from "@strata/docstore";
import {
  type AppError,
  alreadyExists,
  appError,
  err,
  internal,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { checkResourceDescription, checkResourceName, newId } from "@strata/ids";
import { authorize } from "../access.js";
import type { CollectionInfo, NamespaceData } from "../namespace-data.js";
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
  const created = await createRetrievers(ports, caller, namespaceId, [input]);
  if (!created.ok) return created;
  return created.value[0] ?? err(internal());
}

/**
 * Many retrievers, each answering on its own (RetrieverService.CreateRetrievers): one whose input
 * is invalid, whose collections do not serve it or whose name is taken answers its error and the
 * others are created, in one transaction. A collection several of them name is looked up once,
 * and a batch naming many lists the namespace's collections instead of a lookup each.
 */
export async function createRetrievers(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  inputs: readonly NewRetrieverInput[],
): Promise<Result<Result<RetrieverRecord, AppError>[], AppError>> {
  const scope = authorize(caller, "write", namespaceId);
  if (!scope.ok) return scope;
  const collections = await lookUpOnce(ports.namespaceData, caller, namespaceId, inputs);
  const prepared: Result<RetrieverRecord, AppError>[] = [];
  for (let start = 0; start < inputs.length; start += LOOKUPS_AT_ONCE) {
    const slice = inputs.slice(start, start + LOOKUPS_AT_ONCE);
    prepared.push(
      ...(await Promise.all(
        slice.map((input) => retrieverRecordOf(ports, collections, caller, namespaceId, input)),
      )),
    );
  }
  const records = prepared.flatMap((record) => (record.ok ? [record.value] : []));
  return ports.store.transaction<Result<RetrieverRecord, AppError>[], AppError>(async (tx) => {
    const inserted = await insertEachNamed(tx, RETRIEVERS_TABLE, "retriever_name", records);
    const taken = (record: RetrieverRecord) =>
      err(alreadyExists("retriever", { retriever_name: record.retriever_name }));
    if (!inserted.ok) {
      const [only] = records;
      return records.length === 1 && only !== undefined
        ? err(taken(only).error)
        : err(appError("already_exists", "A retriever of one of these names was created meanwhile"));
    }
    let next = 0;
    return ok(
      prepared.map((record) => {
        if (!record.ok) return record;
        const answer = inserted.value[next];
        next += 1;
        return answer === "inserted" ? record : taken(record.value);
      }),
    );
  });
}

/** Collection lookups of one batch under way at a time (each is a call to the namespace service). */
const LOOKUPS_AT_ONCE = 16;

/** Above this many collections named in one batch, listing the namespace's is cheaper than a get each. */
const LIST_ABOVE = 8;

/**
 * The namespace service's collections for one batch, each identifier asked for once: a batch naming
 * many lists the namespace's collections once and asks only for what the list did not hold.
 */
async function lookUpOnce(
  data: NamespaceData,
  caller: Caller,
  namespaceId: string,
  inputs: readonly NewRetrieverInput[],
): Promise<Pick<NamespaceData, "getCollection">> {
  const asked = new Map<string, Promise<Result<CollectionInfo, AppError>>>();
  const named = new Set(inputs.flatMap((input) => input.collectionIdentifiers));
  if (named.size > LIST_ABOVE) {
    const listed = await data.listCollections(caller, namespaceId);
    for (const collection of listed.ok ? listed.value : []) {
      const found = Promise.resolve(ok(collection));
      asked.set(collection.collectionId, found);
      asked.set(collection.collectionName, found);
    }
  }
  return {
    getCollection(caller, namespaceId, identifier) {
      const known = asked.get(identifier);
      if (known !== undefined) return known;
      const answer = data.getCollection(caller, namespaceId, identifier);
      asked.set(identifier, answer);
      return answer;
    },
  };
}

/** The record a retriever input makes: checked, its collections resolved; not yet stored. */
async function retrieverRecordOf(
  ports: AclQueryPorts,
  collections: Pick<NamespaceData, "getCollection">,
  caller: Caller,
  namespaceId: string,
  input: NewRetrieverInput,
): Promise<Result<RetrieverRecord, AppError>> {
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
    collections,
    caller,
    namespaceId,
    input.collectionIdentifiers,
    featureUri,
  );
  if (!resolved.ok) return resolved;
  if (filter !== undefined) checkFilterFields(filter, resolved.value.collections, "body.filters", issues);
  if (issues.length > 0) return err(validationFailed(issues, "Filter is invalid"));

  const now = ports.clock().toISOString();
  return ok({
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
  });
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
