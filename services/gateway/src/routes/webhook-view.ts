import type { webhookV1 } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, stringOrNull, timestamp } from "./common.js";

export const webhookSchema = z
  .object({
    webhook_id: z.string(),
    webhook_name: z.string(),
    namespace_id: z.string().nullable().describe("Null for an organization-wide webhook"),
    url: z.string(),
    events: z.array(z.string()),
    namespaces: z.array(z.string()).describe("An organization-wide webhook's namespaces; empty = all"),
    headers: z.record(z.string(), z.string()),
    is_active: z.boolean(),
    rate_limit_per_second: z.number().int().nullable().describe("Null: unlimited"),
    disabled_reason: z.enum(["gone", "failing"]).nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Webhook" });

export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().describe("The signing secret (whsec_…). Shown only in this answer.") })
  .meta({ id: "CreatedWebhook" });

export const rotatedWebhookSchema = createdWebhookSchema
  .extend({ previous_secret_expires_at: timestamp.describe("Until then the previous secret signs too") })
  .meta({ id: "RotatedWebhookSecret" });

export const deliverySchema = z
  .object({
    delivery_id: z.string(),
    webhook_id: z.string(),
    event_id: z.string().describe("Also the webhook-id header of every attempt"),
    event_type: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempt_count: z.number().int(),
    next_attempt_at: timestamp.nullable(),
    created_at: timestamp,
    attempts: z.array(
      z.object({
        at: z.string(),
        status_code: z.number().int().nullable().describe("Null when no answer came"),
        latency_ms: z.number().int(),
        response_excerpt: z.string(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "WebhookDelivery" });

const epoch = new Date(0).toISOString();

export function webhookView(webhook: webhookV1.Webhook | undefined): z.infer<typeof webhookSchema> {
  if (webhook === undefined) throw new Error("the webhook service answered without a webhook");
  const created = isoOrNull(webhook.createdAt) ?? epoch;
  return {
    webhook_id: webhook.webhookId,
    webhook_name: webhook.webhookName,
    namespace_id: stringOrNull(webhook.namespaceId),
    url: webhook.url,
    events: webhook.events,
    namespaces: webhook.namespaces,
    headers: webhook.headers,
    is_active: webhook.isActive,
    rate_limit_per_second: webhook.rateLimitPerSecond === 0 ? null : webhook.rateLimitPerSecond,
    disabled_reason:
      webhook.disabledReason === "gone" || webhook.disabledReason === "failing"
        ? webhook.disabledReason
        : null,
    created_at: created,
    updated_at: isoOrNull(webhook.updatedAt) ?? created,
  };
}

export function deliveryView(delivery: webhookV1.Delivery): z.infer<typeof deliverySchema> {
  const status =
    delivery.status === "succeeded" || delivery.status === "failed" ? delivery.status : "pending";
  return {
    delivery_id: delivery.deliveryId,
    webhook_id: delivery.webhookId,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    status,
    attempt_count: delivery.attemptCount,
    next_attempt_at: isoOrNull(delivery.nextAttemptAt),
    created_at: isoOrNull(delivery.createdAt) ?? epoch,
    attempts: delivery.attempts.map((a) => ({
      at: isoOrNull(a.at) ?? epoch,
      status_code: a.statusCode === 0 ? null : a.statusCode,
      latency_ms: a.latencyMs,
      response_excerpt: a.responseExcerpt,
      error: stringOrNull(a.error),
    })),
  };
}
