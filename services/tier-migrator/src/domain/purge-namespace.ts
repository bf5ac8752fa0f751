import type { DocStore } from "@strata/docstore";
import {
  ACCESS_TABLE,
  JOBS_TABLE,
  LEASES_TABLE,
  MOVES_TABLE,
  POLICIES_TABLE,
  type PolicyRecord,
} from "./tables.js";

/** A deleted namespace's policy, statistics and sweeps go. Safe to run again. */
export async function purgeNamespaceTiering(
  store: DocStore,
  organizationId: string,
  namespaceId: string,
): Promise<{ documents: number; jobs: number }> {
  const policies = store.table<PolicyRecord>(POLICIES_TABLE);
  const policy = await policies.get(namespaceId);
  if (policy !== undefined && policy.record.organization_id === organizationId)
    await policies.delete(namespaceId);
  const documents = await store
    .table(ACCESS_TABLE)
    .deleteMany({ namespace_id: namespaceId, organization_id: organizationId });
  await store.table(MOVES_TABLE).deleteMany({ namespace_id: namespaceId });
  const jobs = await store
    .table(JOBS_TABLE)
    .deleteMany({ namespace_id: namespaceId, organization_id: organizationId });
  await store.table(LEASES_TABLE).delete(namespaceId);
  return { documents, jobs };
}
