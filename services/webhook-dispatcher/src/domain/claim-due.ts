import { ok } from "@strata/errors";
import type { DueAttempt, WebhookPorts } from "./ports.js";
import { DELIVERIES_TABLE, type DeliveryRecord } from "./tables.js";

/**
 * A claim moves the delivery's next_attempt_at past the claim's end, so the due query reads only
 * what is really due (an index range), never the claimed backlog.
 *
 * Claims up to `limit` pending deliveries whose next attempt is due and that nobody holds, in one
 * transaction: two replicas' schedulers never claim the same attempt, and each claim's version
 * tells the worker whether its queue item is still the current one.
 */
export async function claimDueAttempts(ports: WebhookPorts, limit: number): Promise<DueAttempt[]> {
  const now = ports.clock();
  const nowIso = now.toISOString();
  const claimedUntil = new Date(now.getTime() + ports.settings.claimMs).toISOString();
  const claimed = await ports.store.transaction(async (tx) => {
    const table = tx.table<DeliveryRecord>(DELIVERIES_TABLE);
    const due = await table.find({
      where: {
        status: "pending",
        next_attempt_at: { $lte: nowIso },
      },
      orderBy: [{ field: "next_attempt_at", direction: "asc" }],
      limit,
    });
    const attempts: DueAttempt[] = [];
    for (const { record, version } of due) {
      const written = await table.replace({ ...record, next_attempt_at: claimedUntil }, version);
      if (written.ok)
        attempts.push({
          deliveryId: record.id,
          version: written.value.version,
          webhookId: record.webhook_id,
        });
    }
    return ok(attempts);
  });
  return claimed.ok ? claimed.value : [];
}
