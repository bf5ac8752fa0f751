import { randomUUID } from "node:crypto";
import type { Versioned } from "@strata/docstore";
import { ok } from "@strata/errors";
import { type AnyEventEnvelope, isInternalEventType } from "@strata/events";
import { timeOrderedIdFromSeed } from "@strata/ids";
import { matchesAnyPattern } from "./event-patterns.js";
import type { DueAttempt, WebhookPorts } from "./ports.js";
import { DELIVERIES_TABLE, type DeliveryRecord, WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

/** Whether a webhook receives an event: not internal, its organization, its scope, one of its patterns. */
export function subscribes(webhook: WebhookRecord, event: AnyEventEnvelope): boolean {
  if (isInternalEventType(event.type)) return false;
  if (!webhook.is_active || webhook.organization_id !== event.organizationid) return false;
  if (!matchesAnyPattern(event.type, webhook.events)) return false;
  if (webhook.namespace_id !== null) return event.namespaceid === webhook.namespace_id;
  if (webhook.namespaces.length === 0) return true;
  return event.namespaceid !== undefined && webhook.namespaces.includes(event.namespaceid);
}

/**
 * One delivery per (event, webhook): the id is derived from both, so a redelivered event adds none.
 * It leads with the event's time, so deliveries made together sit together in every index keyed
 * by it (the table's, the attempt log's by delivery): a fan-out's and an outcome's writes touch a
 * few pages, not one random page per delivery and index (ADR 0044).
 */
export function deliveryIdOf(webhookId: string, eventId: string, eventTime: string): string {
  return timeOrderedIdFromSeed("webhookDelivery", `${webhookId}:${eventId}`, Date.parse(eventTime));
}

/** A first attempt this replica took in the fan-out's transaction: it sends it, nobody else. */
export interface TakenAttempt {
  readonly delivery: Versioned<DeliveryRecord>;
  readonly webhook: WebhookRecord;
  /**
   * The request must start before this (ms since the epoch): the take covers the claim plus the
   * request timeout, so a request started in time ends before another replica may claim it.
   */
  readonly startBy: number;
}

/** A first attempt: taken here (`taken`), or claimed for the work queue (a rate-limited webhook). */
export interface FannedOutAttempt extends DueAttempt {
  readonly taken?: TakenAttempt;
}

/**
 * Records a delivery for every webhook that subscribes to each event, in one transaction for the
 * whole batch (the webhooks of each organization are read once per batch). The insert is also the
 * take of the first attempt (a take id, due again only once the claim and the request timeout
 * have run out), so it needs no queue round trip and no second write; a webhook with a rate limit
 * gets a claim instead and goes through the work queue, where the limit is applied. Answers, per
 * event, its first attempts; a delivery that already existed (the event came again after a crash)
 * is left to the scheduler, which finds it once its claim or take runs out.
 */
export async function fanOut(
  ports: WebhookPorts,
  events: readonly AnyEventEnvelope[],
): Promise<FannedOutAttempt[][]> {
  const now = ports.clock();
  const { claimMs, requestTimeoutMs } = ports.settings;
  const claimedUntil = new Date(now.getTime() + claimMs).toISOString();
  const takenUntil = new Date(now.getTime() + claimMs + requestTimeoutMs).toISOString();
  const startBy = now.getTime() + claimMs;
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
    const perEvent: FannedOutAttempt[][] = [];
    for (const event of events) {
      const targets = (webhooksOf.get(event.organizationid) ?? []).filter((w) => subscribes(w, event));
      const due: FannedOutAttempt[] = [];
      // Serialised once per event: every webhook's delivery carries the same bytes.
      const payload = targets.length === 0 ? "" : JSON.stringify(event);
      for (const webhook of targets) {
        const limited = (webhook.rate_limit_per_second ?? null) !== null;
        const inserted = await table.insert({
          id: deliveryIdOf(webhook.id, event.id, event.time),
          webhook_id: webhook.id,
          organization_id: webhook.organization_id,
          namespace_id: event.namespaceid ?? null,
          event_id: event.id,
          event_type: event.type,
          payload,
          status: "pending",
          attempts: 0,
          // Taken (or claimed) for its first attempt: due again only if that attempt is lost.
          next_attempt_at: limited ? claimedUntil : takenUntil,
          ...(limited ? {} : { take_id: randomUUID() }),
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        });
        if (!inserted.ok) continue;
        const { record, version } = inserted.value;
        due.push({
          deliveryId: record.id,
          version,
          webhookId: webhook.id,
          ...(limited ? {} : { taken: { delivery: inserted.value, webhook, startBy } }),
        });
      }
      perEvent.push(due);
    }
    return ok(perEvent);
  });
  if (!created.ok) throw new Error("the fan-out transaction failed");
  return created.value;
}
