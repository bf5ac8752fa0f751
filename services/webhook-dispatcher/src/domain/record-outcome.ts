import type { DocStoreSession, Versioned } from "@strata/docstore";
import { timeOrderedUuid } from "@strata/ids";
import type { SendOutcome, WebhookPorts } from "./ports.js";
import { retryDelayMs } from "./retry-schedule.js";
import {
  ATTEMPTS_TABLE,
  type AttemptRecord,
  DELIVERIES_TABLE,
  type DeliveryRecord,
  WEBHOOKS_TABLE,
  type WebhookRecord,
} from "./tables.js";
import { webhookDisabledEvent } from "./webhook-events.js";

export const isSuccess = (code: number): boolean => code >= 200 && code < 300;
// Only these answers may ask us to wait longer (Standard Webhooks, Svix).
const honoursRetryAfter = (code: number) => code === 429 || code === 503;

/**
 * Writes one attempt's outcome in the caller's transaction: the attempt log row, the delivery's
 * next state (succeeded, due again after the schedule's delay, or failed), and the webhook's
 * failure state — 410 Gone, or failing without a success for the disable period, disables it and
 * appends webhook.disabled to the outbox. Answers whether an event was appended.
 */
export async function recordOutcome(
  ports: WebhookPorts,
  tx: DocStoreSession,
  delivery: Versioned<DeliveryRecord>,
  webhook: Versioned<WebhookRecord>,
  outcome: SendOutcome,
  at: Date,
): Promise<boolean> {
  const now = at.toISOString();
  await tx.table<AttemptRecord>(ATTEMPTS_TABLE).insert({
    // Store-internal: attempts are shown inside their delivery, never by id. Time-ordered, so the
    // log's inserts land at the right edge of its primary index (ADR 0044).
    id: timeOrderedUuid(at.getTime()),
    delivery_id: delivery.record.id,
    webhook_id: webhook.record.id,
    at: now,
    status_code: outcome.statusCode,
    latency_ms: outcome.latencyMs,
    response_excerpt: outcome.responseExcerpt,
    error: outcome.error,
  });
  const attempts = delivery.record.attempts + 1;
  const success = isSuccess(outcome.statusCode);
  const gone = outcome.statusCode === 410;
  const delay =
    success || gone
      ? undefined
      : retryDelayMs(
          ports.settings,
          attempts,
          ports.random,
          honoursRetryAfter(outcome.statusCode) ? outcome.retryAfterSeconds : undefined,
        );
  const next: DeliveryRecord = {
    ...delivery.record,
    attempts,
    // This take is over: an outcome arriving late for it records nothing.
    take_id: "",
    status: success ? "succeeded" : delay === undefined ? "failed" : "pending",
    next_attempt_at: delay === undefined ? now : new Date(at.getTime() + delay).toISOString(),
    updated_at: now,
  };
  await tx.table<DeliveryRecord>(DELIVERIES_TABLE).replace(next, delivery.version);
  return updateWebhookHealth(ports, tx, webhook, success, gone, at);
}

async function updateWebhookHealth(
  ports: WebhookPorts,
  tx: DocStoreSession,
  { record: webhook, version }: Versioned<WebhookRecord>,
  success: boolean,
  gone: boolean,
  at: Date,
): Promise<boolean> {
  const table = tx.table<WebhookRecord>(WEBHOOKS_TABLE);
  if (success) {
    // Only a change is written: a healthy endpoint costs no webhook write per delivery.
    if (webhook.failing_since !== null) await table.replace({ ...webhook, failing_since: null }, version);
    return false;
  }
  const failingSince = webhook.failing_since ?? at.toISOString();
  const failedTooLong = at.getTime() - Date.parse(failingSince) >= ports.settings.disableAfterMs;
  if (!gone && !failedTooLong) {
    if (webhook.failing_since === null)
      await table.replace({ ...webhook, failing_since: failingSince }, version);
    return false;
  }
  const disabled: WebhookRecord = {
    ...webhook,
    is_active: false,
    disabled_reason: gone ? "gone" : "failing",
    failing_since: failingSince,
    updated_at: at.toISOString(),
  };
  const written = await table.replace(disabled, version);
  if (!written.ok) return false;
  await ports.appendEvent(tx, webhookDisabledEvent(disabled, disabled.disabled_reason ?? "failing", at));
  return true;
}
