import { ok } from "@strata/errors";
import type { DueAttempt, SendOutcome, WebhookPorts, WebhookSender } from "./ports.js";
import { recordOutcome } from "./record-outcome.js";
import { signedHeaders } from "./signing.js";
import { DELIVERIES_TABLE, type DeliveryRecord, WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

/** Per-endpoint admission in this replica: a busy endpoint's attempt waits, others go on. */
export interface EndpointSlots {
  /** Resolves true once a slot is held; false at once when too many already wait for this endpoint. */
  take(webhookId: string): Promise<boolean>;
  release(webhookId: string): void;
}

export type AttemptResult = "sent" | "stale" | "dropped" | "deferred";

/**
 * Sends one due attempt if its queue item is still current: the delivery must still have the
 * version its claim gave it, and the worker first takes it (a new version, a claim covering the
 * request timeout) so that no scheduler re-enqueues it while the request runs. Then the request,
 * signed with every live secret, and its outcome recorded.
 */
export async function runAttempt(
  ports: WebhookPorts,
  send: WebhookSender,
  slots: EndpointSlots,
  due: DueAttempt,
): Promise<AttemptResult> {
  const deliveries = ports.store.table<DeliveryRecord>(DELIVERIES_TABLE);
  const found = await deliveries.get(due.deliveryId);
  if (found === undefined || found.version !== due.version || found.record.status !== "pending")
    return "stale";
  const webhook = await ports.store.table<WebhookRecord>(WEBHOOKS_TABLE).get(found.record.webhook_id);
  if (webhook === undefined) {
    // The webhook was deleted: its deliveries have nowhere to go.
    await deliveries.delete(found.record.id, found.version);
    return "dropped";
  }
  const now = ports.clock();
  if (!webhook.record.is_active) {
    const failed = {
      ...found.record,
      status: "failed" as const,
      updated_at: now.toISOString(),
    };
    await deliveries.replace(failed, found.version);
    return "dropped";
  }
  // A busy endpoint's attempt goes back to the queue untouched (the worker delays it there):
  // writing it back to the store would cost every busy round a write and a claim.
  if (!(await slots.take(webhook.record.id))) return "deferred";
  try {
    // Read the clock again: waiting for a slot took time.
    const takenUntil = new Date(
      ports.clock().getTime() + ports.settings.requestTimeoutMs + ports.settings.claimMs,
    );
    const taken = await deliveries.replace(
      { ...found.record, next_attempt_at: takenUntil.toISOString() },
      found.version,
    );
    if (!taken.ok) return "stale";
    const outcome = await send({
      url: webhook.record.url,
      headers: requestHeaders(ports, webhook.record, found.record),
      body: found.record.payload,
      timeoutMs: ports.settings.requestTimeoutMs,
    });
    await finish(ports, taken.value.record.id, taken.value.version, outcome);
    return "sent";
  } finally {
    slots.release(webhook.record.id);
  }
}

function requestHeaders(
  ports: WebhookPorts,
  webhook: WebhookRecord,
  delivery: DeliveryRecord,
): Record<string, string> {
  const now = ports.clock();
  const secrets = [ports.sealer.open(webhook.secret_sealed)];
  if (
    webhook.previous_secret_sealed !== null &&
    webhook.previous_secret_until !== null &&
    Date.parse(webhook.previous_secret_until) > now.getTime()
  ) {
    secrets.push(ports.sealer.open(webhook.previous_secret_sealed));
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    ...webhook.headers,
    "content-type": "application/json",
    "user-agent": "Strata-Webhooks/1",
    ...signedHeaders(secrets, delivery.event_id, timestamp, delivery.payload),
  };
}

/** Records the outcome against the version this worker took; the webhook is read again inside. */
async function finish(ports: WebhookPorts, deliveryId: string, version: number, outcome: SendOutcome) {
  const at = ports.clock();
  const appended = await ports.store.transaction(async (tx) => {
    const delivery = await tx.table<DeliveryRecord>(DELIVERIES_TABLE).get(deliveryId);
    if (delivery === undefined || delivery.version !== version) return ok(false);
    const webhook = await tx.table<WebhookRecord>(WEBHOOKS_TABLE).get(delivery.record.webhook_id);
    if (webhook === undefined) return ok(false);
    return ok(await recordOutcome(ports, tx, delivery, webhook, outcome, at));
  });
  if (appended.ok && appended.value) ports.eventsCommitted();
}
