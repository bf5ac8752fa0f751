import type { Caller } from "@strata/access";
import { CONFLICT, type Conflict, retryOnConflict } from "@strata/docstore";
import {
  type AppError,
  alreadyExists,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import type { FilterJson } from "@strata/filter";
import { checkResourceDescription, checkResourceName } from "@strata/ids";
import { authorize } from "../access.js";
import type { AclQueryPorts } from "../ports.js";
import { ALERTS_TABLE, type AlertRecord, RETRIEVERS_TABLE, type RetrieverRecord } from "../tables.js";
import { checkFeatureUri, parseOptionalFilter } from "./create-retriever.js";
import { resolveRetriever } from "./retriever-access.js";
import { resolveRetrieverCollections } from "./retriever-collections.js";
import { checkFilterFields, parseRetrieverFilter, storedFilter } from "./retriever-filter.js";
import { checkCollectionIdentifiers, checkScoreThreshold, checkTopK } from "./retriever-input.js";

export interface RetrieverChanges {
  readonly retrieverName?: string | undefined;
  readonly description?: string | undefined;
  readonly collectionIdentifiers?: readonly string[] | undefined;
  readonly featureUri?: string | undefined;
  readonly topK?: number | undefined;
  /** A filter's JSON form replaces the filter; null removes it; undefined keeps it. */
  readonly filters?: unknown;
  /** null removes the threshold; undefined keeps it. */
  readonly scoreThreshold?: number | null | undefined;
}

export async function updateRetriever(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
  changes: RetrieverChanges,
): Promise<Result<RetrieverRecord, AppError>> {
  const scope = authorize(caller, "write", namespaceId);
  if (!scope.ok) return scope;
  const issues: ValidationIssue[] = [];
  if (changes.retrieverName !== undefined)
    checkResourceName("retriever", "retriever_name", changes.retrieverName, issues);
  if (changes.description !== undefined) checkResourceDescription(changes.description, issues);
  if (changes.collectionIdentifiers !== undefined)
    checkCollectionIdentifiers(changes.collectionIdentifiers, issues);
  const featureUri =
    changes.featureUri === undefined ? undefined : checkFeatureUri(changes.featureUri, issues);
  if (changes.topK !== undefined) checkTopK(changes.topK, "body.top_k", issues);
  if (typeof changes.scoreThreshold === "number")
    checkScoreThreshold(changes.scoreThreshold, "body.score_threshold", issues);
  const newFilter = changes.filters === null ? undefined : parseOptionalFilter(changes.filters, issues);
  if (issues.length > 0) return err(validationFailed(issues));

  const current = await resolveRetriever(ports.store, caller, namespaceId, identifier);
  if (!current.ok) return current;
  const before = current.value.record;
  const nextFeature = featureUri ?? before.feature_uri;
  const nextIdentifiers = changes.collectionIdentifiers ?? before.collection_ids;
  const filterJson: FilterJson | null =
    changes.filters === null ? null : newFilter === undefined ? before.filters : storedFilter(newFilter);

  // The collections are checked again whenever what the search depends on changes.
  let space = { collection_ids: before.collection_ids, dimensions: before.dimensions, metric: before.metric };
  if (featureUri !== undefined || changes.collectionIdentifiers !== undefined || newFilter !== undefined) {
    const resolved = await resolveRetrieverCollections(
      ports.namespaceData,
      caller,
      namespaceId,
      nextIdentifiers,
      nextFeature,
    );
    if (!resolved.ok) return resolved;
    if (filterJson !== null) {
      const parsed = parseRetrieverFilter(filterJson, "body.filters");
      if (parsed.ok) checkFilterFields(parsed.value, resolved.value.collections, "body.filters", issues);
    }
    if (issues.length > 0) return err(validationFailed(issues, "Filter is invalid"));
    space = {
      collection_ids: resolved.value.collectionIds,
      dimensions: resolved.value.dimensions,
      metric: resolved.value.metric,
    };
  }

  return retryOnConflict(() =>
    ports.store.transaction<RetrieverRecord, AppError | Conflict>(async (tx) => {
      const found = await resolveRetriever(tx, caller, namespaceId, identifier);
      if (!found.ok) return found;
      const { record, version } = found.value;
      if (record.feature_uri !== nextFeature || record.dimensions !== space.dimensions) {
        // An alert's stored query vector lives in the old space; it would never score again.
        const alerts = await tx.table<AlertRecord>(ALERTS_TABLE).count({ retriever_id: record.id });
        if (alerts > 0) {
          return err(
            validationFailed(
              [
                {
                  location: "body.feature_uri",
                  message: `${alerts} alert(s) use this retriever with query vectors in its current feature space; delete them first`,
                  type: "retriever_in_use",
                },
              ],
              "Alerts use this retriever's feature",
            ),
          );
        }
      }
      const updated: RetrieverRecord = {
        ...record,
        retriever_name: changes.retrieverName ?? record.retriever_name,
        description: changes.description ?? record.description,
        collection_ids: space.collection_ids,
        feature_uri: nextFeature,
        dimensions: space.dimensions,
        metric: space.metric,
        top_k: changes.topK ?? record.top_k,
        filters: filterJson,
        score_threshold:
          changes.scoreThreshold === undefined ? record.score_threshold : changes.scoreThreshold,
        updated_at: ports.clock().toISOString(),
      };
      const replaced = await tx.table<RetrieverRecord>(RETRIEVERS_TABLE).replace(updated, version);
      if (!replaced.ok) {
        if (replaced.error === "already_exists")
          return err(alreadyExists("retriever", { retriever_name: updated.retriever_name }));
        return err(CONFLICT);
      }
      return ok(updated);
    }),
  );
}

export interface DeletedRetriever {
  readonly retriever: RetrieverRecord;
  readonly deletedAlerts: number;
}

/** Deletes the retriever and the alerts that name it, in one transaction. */
export async function deleteRetriever(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<DeletedRetriever, AppError>> {
  const scope = authorize(caller, "write", namespaceId);
  if (!scope.ok) return scope;
  return retryOnConflict(() =>
    ports.store.transaction<DeletedRetriever, AppError | Conflict>(async (tx) => {
      const found = await resolveRetriever(tx, caller, namespaceId, identifier);
      if (!found.ok) return found;
      const { record, version } = found.value;
      const deletedAlerts = await tx.table<AlertRecord>(ALERTS_TABLE).deleteMany({ retriever_id: record.id });
      const deleted = await tx.table<RetrieverRecord>(RETRIEVERS_TABLE).delete(record.id, version);
      return deleted ? ok({ retriever: record, deletedAlerts }) : err(CONFLICT);
    }),
  );
}
