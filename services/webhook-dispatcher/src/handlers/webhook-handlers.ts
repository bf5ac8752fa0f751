import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { webhookV1 } from "@strata/proto";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateSecret,
  updateWebhook,
} from "../domain/manage-webhooks.js";
import type { WebhookPorts } from "../domain/ports.js";
import { listDeliveries } from "../domain/read-deliveries.js";
import { recoverFailed, replayDelivery, sendTest } from "../domain/resend.js";
import { deliveryToProto, webhookToProto } from "./webhook-mapping.js";

type Handler<Req, Res> = UnaryHandlerWithCaller<Req, Res>;

export function webhookHandlers(ports: WebhookPorts) {
  const create: Handler<webhookV1.CreateWebhookRequest, webhookV1.CreateWebhookResponse> = async (
    request,
    { caller },
  ) => {
    const created = await createWebhook(ports, caller, {
      namespaceId: request.namespaceId,
      name: request.webhookName,
      url: request.url,
      events: request.events,
      namespaces: request.namespaces,
      headers: request.headers,
      isActive: request.isActive,
      rateLimitPerSecond:
        request.rateLimitPerSecond === undefined ? undefined : rateLimitOf(request.rateLimitPerSecond),
    });
    if (!created.ok) return created;
    return ok({ webhook: webhookToProto(created.value.webhook), secret: created.value.secret });
  };
  const get: Handler<webhookV1.GetWebhookRequest, webhookV1.GetWebhookResponse> = async (r, { caller }) => {
    const found = await getWebhook(ports, caller, r.namespaceId, r.webhookId);
    return found.ok ? ok({ webhook: webhookToProto(found.value) }) : found;
  };
  const list: Handler<webhookV1.ListWebhooksRequest, webhookV1.ListWebhooksResponse> = async (
    r,
    { caller },
  ) => {
    const page = await listWebhooks(ports, caller, r);
    if (!page.ok) return page;
    return ok({ webhooks: page.value.webhooks.map(webhookToProto), nextCursor: page.value.nextCursor ?? "" });
  };
  const update: Handler<webhookV1.UpdateWebhookRequest, webhookV1.UpdateWebhookResponse> = async (
    r,
    { caller },
  ) => {
    const updated = await updateWebhook(
      ports,
      caller,
      { namespaceId: r.namespaceId, webhookId: r.webhookId },
      {
        name: r.webhookName,
        url: r.url,
        events: r.hasEvents ? r.events : undefined,
        headers: r.hasHeaders ? r.headers : undefined,
        namespaces: r.hasNamespaces ? r.namespaces : undefined,
        isActive: r.isActive,
        rateLimitPerSecond:
          r.rateLimitPerSecond === undefined ? undefined : rateLimitOf(r.rateLimitPerSecond),
      },
    );
    return updated.ok ? ok({ webhook: webhookToProto(updated.value) }) : updated;
  };
  const remove: Handler<webhookV1.DeleteWebhookRequest, webhookV1.DeleteWebhookResponse> = async (
    r,
    { caller },
  ) => {
    const deleted = await deleteWebhook(ports, caller, r.namespaceId, r.webhookId);
    return deleted.ok ? ok({ webhook: webhookToProto(deleted.value) }) : deleted;
  };
  const rotate: Handler<webhookV1.RotateSecretRequest, webhookV1.RotateSecretResponse> = async (
    r,
    { caller },
  ) => {
    const rotated = await rotateSecret(ports, caller, r.namespaceId, r.webhookId);
    if (!rotated.ok) return rotated;
    return ok({
      webhook: webhookToProto(rotated.value.webhook),
      secret: rotated.value.secret,
      previousSecretExpiresAt: rotated.value.previousUntil,
    });
  };
  const deliveries: Handler<webhookV1.ListDeliveriesRequest, webhookV1.ListDeliveriesResponse> = async (
    r,
    { caller },
  ) => {
    const page = await listDeliveries(ports, caller, r);
    if (!page.ok) return page;
    return ok({
      deliveries: page.value.deliveries.map(deliveryToProto),
      nextCursor: page.value.nextCursor ?? "",
    });
  };
  const replay: Handler<webhookV1.ReplayDeliveryRequest, webhookV1.ReplayDeliveryResponse> = async (
    r,
    { caller },
  ) => {
    const replayed = await replayDelivery(ports, caller, r);
    return replayed.ok
      ? ok({ delivery: deliveryToProto({ delivery: replayed.value, attempts: [] }) })
      : replayed;
  };
  const recover: Handler<webhookV1.RecoverFailedRequest, webhookV1.RecoverFailedResponse> = async (
    r,
    { caller },
  ) => {
    const recovered = await recoverFailed(ports, caller, { ...r, since: r.since });
    return recovered.ok ? ok({ recovered: recovered.value }) : recovered;
  };
  const test: Handler<webhookV1.SendTestRequest, webhookV1.SendTestResponse> = async (r, { caller }) => {
    const sent = await sendTest(ports, caller, r);
    return sent.ok ? ok({ delivery: deliveryToProto({ delivery: sent.value, attempts: [] }) }) : sent;
  };
  return { create, get, list, update, remove, rotate, deliveries, replay, recover, test };
}

/** On the wire 0 means unlimited; in the store, null. */
function rateLimitOf(perSecond: number): number | null {
  return perSecond === 0 ? null : perSecond;
}
