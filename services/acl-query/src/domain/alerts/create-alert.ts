import type { Caller } from "@strata/access";
import {
  type AppError,
  alreadyExists,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { checkResourceDescription, checkResourceName, newId } from "@strata/ids";
import { authorize } from "../access.js";
import type { AclQueryPorts } from "../ports.js";
import type { QueryInput } from "../query-vector.js";
import { resolveRetriever } from "../retrievers/retriever-access.js";
import { ALERTS_TABLE, type AlertRecord } from "../tables.js";
import { checkThreshold, resolveAlertQuery } from "./alert-query.js";

export interface NewAlertInput {
  readonly alertName: string;
  readonly description: string;
  readonly retrieverIdentifier: string;
  readonly query: QueryInput | undefined;
  readonly scoreThreshold: number;
  /** Defaults to true. */
  readonly active: boolean | undefined;
}

export async function createAlert(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  input: NewAlertInput,
): Promise<Result<AlertRecord, AppError>> {
  const scope = authorize(caller, "write", namespaceId);
  if (!scope.ok) return scope;
  const issues: ValidationIssue[] = [];
  checkResourceName("alert", "alert_name", input.alertName, issues);
  checkResourceDescription(input.description, issues);
  checkThreshold(input.scoreThreshold, issues);
  if (input.query === undefined) {
    issues.push({
      location: "body.query",
      message: "query needs one of vector, text or document_id",
      type: "missing",
    });
  }
  if (input.retrieverIdentifier.length === 0) {
    issues.push({ location: "body.retriever_id", message: "retriever_id is required", type: "missing" });
  }
  if (issues.length > 0 || input.query === undefined) return err(validationFailed(issues));

  const retriever = await resolveRetriever(ports.store, caller, namespaceId, input.retrieverIdentifier);
  if (!retriever.ok) return retriever;
  const query = await resolveAlertQuery(
    ports.namespaceData,
    caller,
    namespaceId,
    retriever.value.record,
    input.query,
  );
  if (!query.ok) return query;
  const now = ports.clock().toISOString();
  const record: AlertRecord = {
    id: newId("alert"),
    organization_id: caller.organizationId,
    namespace_id: namespaceId,
    alert_name: input.alertName,
    description: input.description,
    retriever_id: retriever.value.record.id,
    query: query.value.query,
    query_vector: query.value.queryVector,
    score_threshold: input.scoreThreshold,
    active: input.active ?? true,
    ...(caller.principalId === undefined
      ? {}
      : {
          principal: {
            principal_id: caller.principalId,
            roles: [...caller.roles],
            attributes: { ...caller.attributes },
          },
        }),
    created_at: now,
    updated_at: now,
  };
  const inserted = await ports.store.table<AlertRecord>(ALERTS_TABLE).insert(record);
  if (!inserted.ok) return err(alreadyExists("alert", { alert_name: input.alertName }));
  return ok(record);
}
