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
 * Records a delivery for every webhook that subscribes to the event, claimed for its first
 * attempt, in one transaction. Answers the attempts to enqueue now; a delivery that already
 * existed (the event came again after a crash) is left to the scheduler, which finds it once its
 * claim runs out.
 */
export async function fanOut(ports: WebhookPorts, event: AnyEventEnvelope): Promise<DueAttempt[]> {
  const webhooks = await ports.store
    .table<WebhookRecord>(WEBHOOKS_TABLE)
    .find({ where: { organization_id: event.organizationid, is_active: true } });
  const targets = webhooks.map((v) => v.record).filter((w) => subscribes(w, event));
  if (targets.length === 0) return [];
  const now = ports.clock();
  const payload = JSON.stringify(event);
  const claimedUntil = new Date(now.getTime() + ports.settings.claimMs).toISOString();
  const created = await ports.store.transaction(async (tx) => {
    const table = tx.table<DeliveryRecord>(DELIVERIES_TABLE);
    const due: DueAttempt[] = [];
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
        // Claimed for its first attempt, enqueued below: due again only if that is lost.
        next_attempt_at: claimedUntil,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      if (inserted.ok) due.push({ deliveryId: inserted.value.record.id, version: inserted.value.version });
    }
    return ok(due);
  });
  return created.ok ? created.value : [];
}
