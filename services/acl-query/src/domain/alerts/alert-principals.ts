import type { DocStore } from "@strata/docstore";
import { ALERTS_TABLE, type AlertRecord } from "../tables.js";

/**
 * Keeps the roles and attributes of the alerts a principal created equal to the principal's own
 * (principal.updated); a deleted principal's alerts keep running with none, so they see only what
 * is public or names the principal itself. Answers how many alerts changed.
 */
export async function followPrincipal(
  store: DocStore,
  change: {
    readonly organizationId: string;
    readonly principalId: string;
    readonly roles: readonly string[];
    readonly attributes: Readonly<Record<string, unknown>>;
  },
): Promise<number> {
  const table = store.table<AlertRecord>(ALERTS_TABLE);
  const alerts = await table.find({
    where: { organization_id: change.organizationId, "principal.principal_id": change.principalId },
  });
  let changed = 0;
  for (const { record, version } of alerts) {
    if (record.principal === undefined) continue;
    const principal = { ...record.principal, roles: [...change.roles], attributes: { ...change.attributes } };
    // A concurrent edit of the alert wins this round; the next principal event brings it up to date.
    if ((await table.replace({ ...record, principal }, version)).ok) changed += 1;
  }
  return changed;
}
