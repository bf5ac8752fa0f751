import type { ManifestPorts } from "./ports.js";
import { APPLIES_TABLE, LOCKS_TABLE, MEMBERSHIP_TABLE } from "./tables.js";

/** A deleted namespace's apply history, membership and lease go with it. Safe to run again. */
export async function purgeNamespaceManifests(
  ports: ManifestPorts,
  organizationId: string,
  namespaceId: string,
): Promise<{ applies: number; members: number }> {
  const scope = { organization_id: organizationId, namespace_id: namespaceId };
  const members = await ports.store.table(MEMBERSHIP_TABLE).deleteMany(scope);
  const applies = await ports.store.table(APPLIES_TABLE).deleteMany(scope);
  await ports.store.table(LOCKS_TABLE).deleteMany({ id: namespaceId });
  return { applies, members };
}
