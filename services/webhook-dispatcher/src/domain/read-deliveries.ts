import type { Caller } from "@strata/access";
import { listPage } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import type { WebhookPorts } from "./ports.js";
import { ATTEMPTS_TABLE, type AttemptRecord, DELIVERIES_TABLE, type DeliveryRecord } from "./tables.js";
import { checkScope, resolveWebhook } from "./webhook-access.js";

export interface DeliveryWithAttempts {
  readonly delivery: DeliveryRecord;
  readonly attempts: readonly AttemptRecord[];
}

const STATUSES = new Set(["", "pending", "succeeded", "failed"]);

/** A page of a webhook's deliveries, newest first, each with its attempts in time order. */
export async function listDeliveries(
  ports: WebhookPorts,
  caller: Caller,
  request: { namespaceId: string; webhookId: string; status: string; limit: number; cursor: string },
): Promise<Result<{ deliveries: DeliveryWithAttempts[]; nextCursor: string | null }, AppError>> {
  const denied = checkScope(caller, request.namespaceId, "read");
  if (denied) return err(denied);
  if (!STATUSES.has(request.status))
    return err(badRequest("status must be pending, succeeded or failed", { status: request.status }));
  const limit = request.limit === 0 ? 20 : request.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return err(badRequest("limit must be between 1 and 100", { limit: request.limit }));
  const webhook = await resolveWebhook(ports.store, caller, request.namespaceId, request.webhookId);
  if (!webhook.ok) return webhook;
  const page = await listPage(ports.store.table<DeliveryRecord>(DELIVERIES_TABLE), {
    where: {
      webhook_id: request.webhookId,
      ...(request.status === "" ? {} : { status: request.status }),
    },
    limit,
    cursor: request.cursor === "" ? undefined : request.cursor,
    direction: "desc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  const attempts = ports.store.table<AttemptRecord>(ATTEMPTS_TABLE);
  const deliveries = await Promise.all(
    page.value.records.map(async ({ record }) => ({
      delivery: record,
      attempts: (
        await attempts.find({
          where: { delivery_id: record.id },
          orderBy: [{ field: "at", direction: "asc" }],
        })
      ).map((v) => v.record),
    })),
  );
  return ok({ deliveries, nextCursor: page.value.nextCursor });
}
