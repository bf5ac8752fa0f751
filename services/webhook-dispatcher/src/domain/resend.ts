import { randomUUID } from "node:crypto";
import type { Caller } from "@strata/access";
import { type AppError, badRequest, err, notFound, ok, type Result } from "@strata/errors";
import { buildEvent } from "@strata/events";
import { deliveryIdOf } from "./fan-out.js";
import type { WebhookPorts } from "./ports.js";
import { DELIVERIES_TABLE, type DeliveryRecord } from "./tables.js";
import { checkScope, resolveWebhook } from "./webhook-access.js";

/** Due now, from the start of the schedule again; its attempt log is kept. */
function restarted(delivery: DeliveryRecord, now: Date): DeliveryRecord {
  const at = now.toISOString();
  return { ...delivery, status: "pending", attempts: 0, next_attempt_at: at, updated_at: at };
}

export async function replayDelivery(
  ports: WebhookPorts,
  caller: Caller,
  request: { namespaceId: string; webhookId: string; deliveryId: string },
): Promise<Result<DeliveryRecord, AppError>> {
  const denied = checkScope(caller, request.namespaceId, "write");
  if (denied) return err(denied);
  const webhook = await resolveWebhook(ports.store, caller, request.namespaceId, request.webhookId);
  if (!webhook.ok) return webhook;
  const table = ports.store.table<DeliveryRecord>(DELIVERIES_TABLE);
  const found = await table.get(request.deliveryId);
  if (found === undefined || found.record.webhook_id !== request.webhookId)
    return err(notFound("delivery", request.deliveryId));
  if (found.record.status === "pending") return err(badRequest("The delivery is still being delivered"));
  const next = restarted(found.record, ports.clock());
  const written = await table.replace(next, found.version);
  return written.ok ? ok(next) : err(badRequest("The delivery changed meanwhile; try again"));
}

/** Every failed delivery of the webhook created at or after `since`, due again now. */
export async function recoverFailed(
  ports: WebhookPorts,
  caller: Caller,
  request: { namespaceId: string; webhookId: string; since: Date | undefined },
): Promise<Result<number, AppError>> {
  const denied = checkScope(caller, request.namespaceId, "write");
  if (denied) return err(denied);
  if (request.since === undefined) return err(badRequest("'since' is required"));
  const webhook = await resolveWebhook(ports.store, caller, request.namespaceId, request.webhookId);
  if (!webhook.ok) return webhook;
  const table = ports.store.table<DeliveryRecord>(DELIVERIES_TABLE);
  const failed = await table.find({
    where: {
      webhook_id: request.webhookId,
      status: "failed",
      created_at: { $gte: request.since.toISOString() },
    },
  });
  const now = ports.clock();
  let recovered = 0;
  for (const { record, version } of failed) {
    if ((await table.replace(restarted(record, now), version)).ok) recovered += 1;
  }
  return ok(recovered);
}

/** A webhook.test event for this webhook alone, delivered like any other (signed, retried). */
export async function sendTest(
  ports: WebhookPorts,
  caller: Caller,
  request: { namespaceId: string; webhookId: string },
): Promise<Result<DeliveryRecord, AppError>> {
  const denied = checkScope(caller, request.namespaceId, "write");
  if (denied) return err(denied);
  const webhook = await resolveWebhook(ports.store, caller, request.namespaceId, request.webhookId);
  if (!webhook.ok) return webhook;
  const at = ports.clock();
  const now = at.toISOString();
  const { record } = webhook.value;
  // Built and validated like every catalogued event (its data schema, the CloudEvents spec).
  const event = buildEvent(
    "webhook.test",
    {
      service: "webhook-dispatcher",
      organizationId: record.organization_id,
      ...(record.namespace_id === null ? {} : { namespaceId: record.namespace_id }),
      subject: record.id,
      time: at,
    },
    { webhook_id: record.id, message: "A test event: your endpoint receives and verifies webhooks." },
  );
  const eventId = event.id;
  const delivery: DeliveryRecord = {
    id: deliveryIdOf(record.id, `${eventId}:${randomUUID()}`, event.time),
    webhook_id: record.id,
    organization_id: record.organization_id,
    namespace_id: record.namespace_id,
    event_id: eventId,
    event_type: "webhook.test",
    payload: JSON.stringify(event),
    status: "pending",
    attempts: 0,
    // The scheduler enqueues it on its next tick.
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
  };
  await ports.store.table<DeliveryRecord>(DELIVERIES_TABLE).insert(delivery);
  return ok(delivery);
}
