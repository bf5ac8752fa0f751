import type { Caller } from "@strata/access";
import { type AppError, ok, type Result } from "@strata/errors";
import { authorize } from "../access.js";
import { pageInNamespace, type RecordPage } from "../list-page.js";
import type { AclQueryPorts } from "../ports.js";
import { ALERTS_TABLE, type AlertRecord } from "../tables.js";
import { resolveAlert } from "./alert-access.js";

export async function getAlert(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<AlertRecord, AppError>> {
  const scope = authorize(caller, "read", namespaceId);
  if (!scope.ok) return scope;
  const found = await resolveAlert(ports.store, caller, namespaceId, identifier);
  return found.ok ? ok(found.value.record) : found;
}

export async function listAlerts(
  ports: AclQueryPorts,
  caller: Caller,
  namespaceId: string,
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<RecordPage<AlertRecord>, AppError>> {
  const scope = authorize(caller, "read", namespaceId);
  if (!scope.ok) return scope;
  return pageInNamespace<AlertRecord>(
    ports.store,
    ALERTS_TABLE,
    { organizationId: caller.organizationId, namespaceId },
    request,
  );
}
