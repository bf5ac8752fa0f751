import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import { ok } from "@strata/errors";
import { authorize } from "../access.js";
import { pageInNamespace, type RecordPage } from "../list-page.js";
import type { AclQueryPorts } from "../ports.js";
import { RETRIEVERS_TABLE, type RetrieverRecord } from "../tables.js";
import { resolveRetriever } from "./retriever-access.js";

export async function getRetriever(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<RetrieverRecord, AppError>> {
  const scope = authorize(caller, "read", namespaceId);
  if (!scope.ok) return scope;
  const found = await resolveRetriever(ports.store, caller, namespaceId, identifier);
  return found.ok ? ok(found.value.record) : found;
}

export async function listRetrievers(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<RecordPage<RetrieverRecord>, AppError>> {
  const scope = authorize(caller, "read", namespaceId);
  if (!scope.ok) return scope;
  return pageInNamespace<RetrieverRecord>(
    ports.store,
    RETRIEVERS_TABLE,
    { organizationId: caller.organizationId, namespaceId },
    request,
  );
}
