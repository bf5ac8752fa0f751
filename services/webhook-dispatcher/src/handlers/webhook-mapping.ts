import type { webhookV1 } from "@strata/proto";
import type { DeliveryWithAttempts } from "../domain/read-deliveries.js";
import type { WebhookRecord } from "../domain/tables.js";

/** The answer shape of a webhook: never its secret. */
export function webhookToProto(webhook: WebhookRecord): webhookV1.Webhook {
  return {
    webhookId: webhook.id,
    namespaceId: webhook.namespace_id ?? "",
    webhookName: webhook.name,
    url: webhook.url,
    events: [...webhook.events],
    namespaces: [...webhook.namespaces],
    headers: { ...webhook.headers },
    isActive: webhook.is_active,
    rateLimitPerSecond: webhook.rate_limit_per_second ?? 0,
    disabledReason: webhook.disabled_reason ?? "",
    createdAt: new Date(webhook.created_at),
    updatedAt: new Date(webhook.updated_at),
  };
}

export function deliveryToProto({ delivery, attempts }: DeliveryWithAttempts): webhookV1.Delivery {
  return {
    deliveryId: delivery.id,
    webhookId: delivery.webhook_id,
    eventId: delivery.event_id,
    eventType: delivery.event_type,
    status: delivery.status,
    attemptCount: delivery.attempts,
    nextAttemptAt: delivery.status === "pending" ? new Date(delivery.next_attempt_at) : undefined,
    createdAt: new Date(delivery.created_at),
    attempts: attempts.map((a) => ({
      at: new Date(a.at),
      statusCode: a.status_code,
      latencyMs: a.latency_ms,
      responseExcerpt: a.response_excerpt,
      error: a.error,
    })),
  };
}
