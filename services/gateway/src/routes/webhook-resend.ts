import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import {
  DEFAULT_PAGE_SIZE,
  errorResponses,
  listQuerySchema,
  listResponseSchema,
  namespaceHeaderSchema,
  stringOrNull,
} from "./common.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { webhookScopeOf } from "./webhook-scope.js";
import { deliverySchema, deliveryView } from "./webhook-view.js";
import { inWebhookScope } from "./webhooks.js";

const TAGS = ["Webhooks"];
const params = z.object({ id: z.string().min(1).max(64).describe("Webhook id (wh_…)") });
const deliveryParams = params.extend({
  delivery_id: z.string().min(1).max(64).describe("Delivery id (whd_…)"),
});
const recoverBody = z.strictObject({
  since: z.iso.datetime({ offset: true }).describe("Failed deliveries created at or after this time"),
});
const deliveriesQuery = listQuerySchema.extend({
  status: z.enum(["pending", "succeeded", "failed"]).optional(),
});
const recoveredSchema = z.object({ recovered: z.number().int() }).meta({ id: "RecoveredDeliveries" });

/** The delivery log, and sending again: one delivery, every failed one since a time, a test event. */
export function registerWebhookResendRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const client = deps.backends.webhook;

  typed.post(
    "/v1/webhooks/:id/deliveries/:delivery_id/replay",
    {
      config: { access: "write" },
      schema: {
        operationId: "replayWebhookDelivery",
        tags: TAGS,
        summary: "Send a finished delivery again, from the start of the retry schedule",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: deliveryParams,
        response: { 202: deliverySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await webhookScopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const replayed = await client.replayDelivery(
        {
          namespaceId: scope.value.namespaceId,
          webhookId: request.params.id,
          deliveryId: request.params.delivery_id,
        },
        scope.value.call,
      );
      if (!replayed.ok) return sendAppError(request, reply, replayed.error);
      const { delivery } = replayed.value;
      if (delivery === undefined) throw new Error("the webhook service answered without a delivery");
      return reply.code(202).send(deliveryView(delivery));
    },
  );

  typed.post(
    "/v1/webhooks/:id/recover",
    {
      config: { access: "write" },
      schema: {
        operationId: "recoverWebhookDeliveries",
        tags: TAGS,
        summary: "Send every failed delivery created since a time again",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: recoverBody,
        response: { 202: recoveredSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await webhookScopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const recovered = await client.recoverFailed(
        {
          namespaceId: scope.value.namespaceId,
          webhookId: request.params.id,
          since: new Date(request.body.since),
        },
        scope.value.call,
      );
      if (!recovered.ok) return sendAppError(request, reply, recovered.error);
      return reply.code(202).send({ recovered: recovered.value.recovered });
    },
  );

  typed.post(
    "/v1/webhooks/:id/test",
    {
      config: { access: "write" },
      schema: {
        operationId: "sendWebhookTest",
        tags: TAGS,
        summary: "Send a webhook.test event to this webhook",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        response: { 202: deliverySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await webhookScopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const sent = await client.sendTest(
        { namespaceId: scope.value.namespaceId, webhookId: request.params.id },
        scope.value.call,
      );
      if (!sent.ok) return sendAppError(request, reply, sent.error);
      const { delivery } = sent.value;
      if (delivery === undefined) throw new Error("the webhook service answered without a delivery");
      return reply.code(202).send(deliveryView(delivery));
    },
  );

  typed.get(
    "/v1/webhooks/:id/deliveries",
    {
      config: { access: "read" },
      schema: {
        operationId: "listWebhookDeliveries",
        tags: TAGS,
        summary: "List a webhook's deliveries with every attempt, newest first",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        querystring: deliveriesQuery,
        response: { 200: listResponseSchema(deliverySchema), ...errorResponses },
      },
    },
    async (request, reply) =>
      inWebhookScope(request, reply, deps, async (scope) => {
        const listed = await client.listDeliveries(
          {
            namespaceId: scope.namespaceId,
            webhookId: request.params.id,
            status: request.query.status ?? "",
            limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
            cursor: request.query.cursor ?? "",
          },
          scope.call,
        );
        return listed.ok
          ? ok({
              data: listed.value.deliveries.map(deliveryView),
              next_cursor: stringOrNull(listed.value.nextCursor),
            })
          : listed;
      }),
  );
}
