import { ok } from "@strata/errors";
import type { AnyEventEnvelope } from "@strata/events";
import { idFromSeed } from "@strata/ids";
import { matchesAnyPattern } from "./event-patterns.js";
import type { DueAttempt, WebhookPorts } from "./ports.js";
import { DELIVERIES_TABLE, type DeliveryRecord, WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

/** Whether a webhook receives an event: its organization, its scope, one of its patterns. */
export function subscribes(webhook: WebhookRecord, event: AnyEventEnvelope): boolean {
  if (!webhook.is_active || webhook.organization_id !== event.organizationid) return false;
  if (!matchesAnyPattern(event.type, webhook.events)) return false;
  if (webhook.namespace_id !== null) return event.namespaceid === webhook.namespace_id;
  if (webhook.namespaces.length === 0) return true;
  return event.namespaceid !== undefined && webhook.namespaces.includes(event.namespaceid);
}

/** One delivery per (event, webhook): the id is derived from both, so a redelivered event adds none. */
export function deliveryIdOf(webhookId: string, eventId: string): string {
  return idFromSeed("webhookDelivery", `${webhookId}:${eventId}`);
}

/**
 * Records a delivery for every webhook that subscribes to each event, claimed for its first
 * attempt, in one transaction for the whole batch (the webhooks of each organization are read
 * once per batch). Answers, per event, the attempts to enqueue now; a delivery that already
 * existed (the event came again after a crash) is left to the scheduler, which finds it once its
 * claim runs out.
 */
export async function fanOut(
  ports: WebhookPorts,
  events: readonly AnyEventEnvelope[],
): Promise<DueAttempt[][]> {
  const now = ports.clock();
  const claimedUntil = new Date(now.getTime() + ports.settings.claimMs).toISOString();
  const created = await ports.store.transaction(async (tx) => {
    const webhooksOf = new Map<string, WebhookRecord[]>();
    for (const organizationId of new Set(events.map((e) => e.organizationid))) {
      const found = await tx
        .table<WebhookRecord>(WEBHOOKS_TABLE)
        .find({ where: { organization_id: organizationId, is_active: true } });
      webhooksOf.set(
        organizationId,
        found.map((v) => v.record),
      );
    }
    const table = tx.table<DeliveryRecord>(DELIVERIES_TABLE);
    const perEvent: DueAttempt[][] = [];
    for (const event of events) {
      const targets = (webhooksOf.get(event.organizationid) ?? []).filter((w) => subscribes(w, event));
      const due: DueAttempt[] = [];
      // Serialised once per event: every webhook's delivery carries the same bytes.
      const payload = targets.length === 0 ? "" : JSON.stringify(event);
      for (const webhook of targets) {
        const inserted = await table.insert({
          id: deliveryIdOf(webhook.id, event.id),
          webhook_id: webhook.id,
          organization_id: webhook.organization_id,
          namespace_id: event.namespaceid ?? null,
          event_id: event.id,
          event_type: event.type,
          payload,
          status: "pending",
          attempts: 0,
          // Claimed for its first attempt, enqueued by the caller: due again only if that is lost.
          next_attempt_at: claimedUntil,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        });
        if (inserted.ok)
          due.push({
            deliveryId: inserted.value.record.id,
            version: inserted.value.version,
            webhookId: webhook.id,
          });
      }
      perEvent.push(due);
    }
    return ok(perEvent);
  });
  if (!created.ok) throw new Error("the fan-out transaction failed");
  return created.value;
}
