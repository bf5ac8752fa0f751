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
import { checkResourceDescription, checkResourceName } from "@strata/ids";
import { authorize } from "../access.js";
import type { AclQueryPorts } from "../ports.js";
import type { QueryInput } from "../query-vector.js";
import { resolveRetriever } from "../retrievers/retriever-access.js";
import { ALERTS_TABLE, type AlertRecord } from "../tables.js";
import { resolveAlert } from "./alert-access.js";
import { checkThreshold, queryInputOf, resolveAlertQuery, type StoredAlertQuery } from "./alert-query.js";

export interface AlertChanges {
  readonly alertName?: string | undefined;
  readonly description?: string | undefined;
  readonly retrieverIdentifier?: string | undefined;
  readonly query?: QueryInput | undefined;
  readonly scoreThreshold?: number | undefined;
  readonly active?: boolean | undefined;
}

export async function updateAlert(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
  changes: AlertChanges,
): Promise<Result<AlertRecord, AppError>> {
  const scope = authorize(caller, "write", namespaceId);
  if (!scope.ok) return scope;
  const issues: ValidationIssue[] = [];
  if (changes.alertName !== undefined) checkResourceName("alert", "alert_name", changes.alertName, issues);
  if (changes.description !== undefined) checkResourceDescription(changes.description, issues);
  if (changes.scoreThreshold !== undefined) checkThreshold(changes.scoreThreshold, issues);
  if (issues.length > 0) return err(validationFailed(issues));

  const current = await resolveAlert(ports.store, caller, namespaceId, identifier);
  if (!current.ok) return current;
  const before = current.value.record;
  // A new retriever or a new query means a new stored vector (the query is re-read, not reused).
  let resolved: (StoredAlertQuery & { readonly retrieverId: string }) | undefined;
  if (changes.retrieverIdentifier !== undefined || changes.query !== undefined) {
    const retriever = await resolveRetriever(
      ports.store,
      caller,
      namespaceId,
      changes.retrieverIdentifier ?? before.retriever_id,
    );
    if (!retriever.ok) return retriever;
    const query = await resolveAlertQuery(
      ports.namespaceData,
      caller,
      namespaceId,
      retriever.value.record,
      changes.query ?? queryInputOf(before.query, before.query_vector),
    );
    if (!query.ok) return query;
    resolved = { ...query.value, retrieverId: retriever.value.record.id };
  }

  return retryOnConflict(() =>
    ports.store.transaction<AlertRecord, AppError | Conflict>(async (tx) => {
      const found = await resolveAlert(tx, caller, namespaceId, identifier);
      if (!found.ok) return found;
      const { record, version } = found.value;
      const updated: AlertRecord = {
        ...record,
        alert_name: changes.alertName ?? record.alert_name,
        description: changes.description ?? record.description,
        retriever_id: resolved?.retrieverId ?? record.retriever_id,
        query: resolved?.query ?? record.query,
        query_vector: resolved?.queryVector ?? record.query_vector,
        score_threshold: changes.scoreThreshold ?? record.score_threshold,
        active: changes.active ?? record.active,
        updated_at: ports.clock().toISOString(),
      };
      const replaced = await tx.table<AlertRecord>(ALERTS_TABLE).replace(updated, version);
      if (!replaced.ok) {
        if (replaced.error === "already_exists")
          return err(alreadyExists("alert", { alert_name: updated.alert_name }));
        return err(CONFLICT);
      }
      return ok(updated);
    }),
  );
}

export async function deleteAlert(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<AlertRecord, AppError>> {
  const scope = authorize(caller, "write", namespaceId);
  if (!scope.ok) return scope;
  return retryOnConflict(() =>
    ports.store.transaction<AlertRecord, AppError | Conflict>(async (tx) => {
      const found = await resolveAlert(tx, caller, namespaceId, identifier);
      if (!found.ok) return found;
      const deleted = await tx
        .table<AlertRecord>(ALERTS_TABLE)
        .delete(found.value.record.id, found.value.version);
      return deleted ? ok(found.value.record) : err(CONFLICT);
    }),
  );
}
