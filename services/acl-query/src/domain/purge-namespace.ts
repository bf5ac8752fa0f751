import type { DocStore } from "@strata/docstore";
import { ALERTS_TABLE, RETRIEVERS_TABLE } from "./tables.js";

/**
 * Removes a deleted namespace's retrievers and alerts (DESIGN §6). Alerts first, since each names a
 * retriever; repeating it removes nothing twice.
 */
export async function purgeNamespaceQueries(
  store: DocStore,
  namespaceId: string,
): Promise<{ readonly alerts: number; readonly retrievers: number }> {
  const alerts = await store.table(ALERTS_TABLE).deleteMany({ namespace_id: namespaceId });
  const retrievers = await store.table(RETRIEVERS_TABLE).deleteMany({ namespace_id: namespaceId });
  return { alerts, retrievers };
}
