import { buildEvent, type EventEnvelope } from "@strata/events";
import type { DisabledReason, WebhookRecord } from "./tables.js";

export function webhookDisabledEvent(
  webhook: WebhookRecord,
  reason: DisabledReason,
  time: Date,
): EventEnvelope<"webhook.disabled"> {
  return buildEvent(
    "webhook.disabled",
    { service: "webhook-dispatcher", organizationId: webhook.organization_id, subject: webhook.id, time },
    {
      webhook_id: webhook.id,
      webhook_name: webhook.name,
      organization_id: webhook.organization_id,
      namespace_id: webhook.namespace_id,
      url: webhook.url,
      reason,
      failing_since: webhook.failing_since,
    },
  );
}
