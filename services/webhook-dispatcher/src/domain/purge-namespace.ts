import { ok } from "@strata/errors";
import type { WebhookPorts } from "./ports.js";
import { ATTEMPTS_TABLE, DELIVERIES_TABLE, WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

/**
 * A deleted namespace's webhooks go with it, with their deliveries; organization-wide webhooks
 * narrowed to it stop naming it. Safe to run again.
 */
export async function purgeNamespaceWebhooks(
  ports: WebhookPorts,
  organizationId: string,
  namespaceId: string,
): Promise<{ webhooks: number; deliveries: number }> {
  const webhooks = ports.store.table<WebhookRecord>(WEBHOOKS_TABLE);
  const scope = { organization_id: organizationId, namespace_id: namespaceId };
  const doomed = (await webhooks.find({ where: scope })).map((v) => v.record.id);
  // The attempt log (response excerpts) goes too; attempts carry their webhook, not the namespace.
  if (doomed.length > 0) await ports.store.table(ATTEMPTS_TABLE).deleteMany({ webhook_id: { $in: doomed } });
  const deleted = await webhooks.deleteMany(scope);
  const deliveries = await ports.store
    .table(DELIVERIES_TABLE)
    .deleteMany({ organization_id: organizationId, namespace_id: namespaceId });
  const narrowed = await webhooks.find({
    where: { organization_id: organizationId, namespaces: { $contains: namespaceId } },
  });
  for (const { record, version } of narrowed) {
    await ports.store.transaction(async (tx) => {
      const rest = record.namespaces.filter((n) => n !== namespaceId);
      // Narrowed to nothing would widen it to every namespace: it is deactivated instead.
      await tx
        .table<WebhookRecord>(WEBHOOKS_TABLE)
        .replace({ ...record, namespaces: rest, is_active: rest.length > 0 && record.is_active }, version);
      return ok(undefined);
    });
  }
  return { webhooks: deleted, deliveries };
}
