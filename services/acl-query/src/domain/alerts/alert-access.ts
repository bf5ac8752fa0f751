import type { Caller } from "@strata/access";
import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import { isId, isValidResourceName } from "@strata/ids";
import { ALERTS_TABLE, type AlertRecord } from "../tables.js";

/** Finds an alert by id (alr_…) or name in the caller's organization and the given namespace. */
export async function resolveAlert(
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<Versioned<AlertRecord>, AppError>> {
  const table = session.table<AlertRecord>(ALERTS_TABLE);
  let found: Versioned<AlertRecord> | undefined;
  if (isId("alert", identifier)) {
    found = await table.get(identifier);
  } else if (isValidResourceName("alert", identifier)) {
    [found] = await table.find({ where: { namespace_id: namespaceId, alert_name: identifier }, limit: 1 });
  }
  if (
    found === undefined ||
    found.record.namespace_id !== namespaceId ||
    found.record.organization_id !== caller.organizationId
  ) {
    return err(notFound("alert", identifier));
  }
  return ok(found);
}
