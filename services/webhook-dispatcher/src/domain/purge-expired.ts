import type { WebhookPorts } from "./ports.js";
import { ATTEMPTS_TABLE, DELIVERIES_TABLE } from "./tables.js";

/**
 * Payload retention: finished deliveries older than `retentionMs` go with their attempt log.
 * Pending ones stay however old (a delivery still being retried keeps its payload).
 */
export async function purgeExpiredDeliveries(
  ports: WebhookPorts,
  retentionMs: number,
): Promise<{ deliveries: number; attempts: number }> {
  const before = new Date(ports.clock().getTime() - retentionMs).toISOString();
  const deliveries = await ports.store
    .table(DELIVERIES_TABLE)
    .deleteMany({ created_at: { $lt: before }, status: { $in: ["succeeded", "failed"] } });
  const attempts = await ports.store.table(ATTEMPTS_TABLE).deleteMany({ at: { $lt: before } });
  return { deliveries, attempts };
}
