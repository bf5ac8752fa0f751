import { MAX_WEBHOOK_RATE_PER_SECOND } from "@strata/contracts";
import { type AppError, ok, type Result } from "@strata/errors";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { answerIdempotently } from "../http/idempotent-answer.js";
import {
  DEFAULT_PAGE_SIZE,
  errorResponses,
  listQuerySchema,
  listResponseSchema,
  namespaceHeaderSchema,
  stringOrNull,
} from "./common.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { type Scope, scopedCreateHeaderSchema } from "./scoped-call.js";
import { resolveNamespaceList, webhookScopeOf } from "./webhook-scope.js";
import { createdWebhookSchema, rotatedWebhookSchema, webhookSchema, webhookView } from "./webhook-view.js";

const TAGS = ["Webhooks"];
const name = z.string().min(1).max(128);
const url = z.string().min(1).max(2048).describe("http(s) URL; private and loopback addresses are refused");
const events = z
  .array(z.string().min(1).max(128))
  .min(1)
  .max(50)
  .describe(
    "Event types (batch.completed) or patterns (batch.*, *); the internal document.accessed is never delivered",
  );
const headers = z
  .record(z.string().min(1).max(64), z.string().max(1024))
  .describe("Sent with every delivery");
const namespaces = z
  .array(z.string().min(1).max(256))
  .max(100)
  .describe("Organization-wide webhooks only: the namespaces (ids or names) it covers; default all");

const rateLimit = z
  .number()
  .int()
  .min(1)
  .max(MAX_WEBHOOK_RATE_PER_SECOND)
  .nullable()
  .describe("Sends per second at most, enforced by each dispatcher replica; null or absent: unlimited");

const createBody = z.strictObject({
  webhook_name: name,
  url,
  events,
  namespaces: namespaces.optional(),
  headers: headers.optional(),
  is_active: z.boolean().optional().describe("Default true"),
  rate_limit_per_second: rateLimit.optional(),
});

const updateBody = z
  .strictObject({
    webhook_name: name.optional(),
    url: url.optional(),
    events: events.optional(),
    namespaces: namespaces.optional(),
    headers: headers.optional(),
    is_active: z.boolean().optional().describe("true re-enables a disabled webhook"),
    rate_limit_per_second: rateLimit.optional().describe("null removes the limit"),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Give at least one field" });

const params = z.object({ id: z.string().min(1).max(64).describe("Webhook id (wh_…)") });

/** Resolves the scope, runs the call, answers its view or its error. */
export async function inWebhookScope<View>(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  call: (scope: Scope) => Promise<Result<View, AppError>>,
): Promise<View | FastifyReply> {
  const scope = await webhookScopeOf(request, deps);
  if (!scope.ok) return sendAppError(request, reply, scope.error);
  const answer = await call(scope.value);
  return answer.ok ? answer.value : sendAppError(request, reply, answer.error);
}

export function registerWebhookRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const client = deps.backends.webhook;
  const scopeDoc = "With X-Namespace: that namespace's webhooks; without: the organization's (admin keys)";

  typed.post(
    "/v1/webhooks",
    {
      config: { access: "write" },
      schema: {
        operationId: "createWebhook",
        tags: TAGS,
        summary: "Create a webhook; the signing secret is answered once",
        description: scopeDoc,
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        body: createBody,
        response: { 201: createdWebhookSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await webhookScopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const body = request.body;
      return answerIdempotently(
        request,
        reply,
        deps.idempotency,
        async () => {
          const listed = await resolveNamespaceList(request, deps, body.namespaces);
          if (!listed.ok) return listed;
          const created = await client.createWebhook(
            {
              namespaceId: scope.value.namespaceId,
              webhookName: body.webhook_name,
              url: body.url,
              events: body.events,
              namespaces: listed.value ?? [],
              headers: body.headers ?? {},
              isActive: body.is_active,
              rateLimitPerSecond: body.rate_limit_per_second ?? 0,
            },
            scope.value.call,
          );
          if (!created.ok) return created;
          return ok({
            status: 201,
            body: { ...webhookView(created.value.webhook), secret: created.value.secret },
          });
        },
        scope.value.namespaceId,
      );
    },
  );

  typed.get(
    "/v1/webhooks",
    {
      config: { access: "read" },
      schema: {
        operationId: "listWebhooks",
        tags: TAGS,
        summary: "List webhooks",
        description: scopeDoc,
        security: BEARER,
        headers: namespaceHeaderSchema,
        querystring: listQuerySchema,
        response: { 200: listResponseSchema(webhookSchema), ...errorResponses },
      },
    },
    async (request, reply) =>
      inWebhookScope(request, reply, deps, async (scope) => {
        const listed = await client.listWebhooks(
          {
            namespaceId: scope.namespaceId,
            limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
            cursor: request.query.cursor ?? "",
          },
          scope.call,
        );
        return listed.ok
          ? ok({
              data: listed.value.webhooks.map(webhookView),
              next_cursor: stringOrNull(listed.value.nextCursor),
            })
          : listed;
      }),
  );

  typed.get(
    "/v1/webhooks/:id",
    {
      config: { access: "read" },
      schema: {
        operationId: "getWebhook",
        tags: TAGS,
        summary: "Get a webhook",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        response: { 200: webhookSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inWebhookScope(request, reply, deps, async (scope) => {
        const found = await client.getWebhook(
          { namespaceId: scope.namespaceId, webhookId: request.params.id },
          scope.call,
        );
        return found.ok ? ok(webhookView(found.value.webhook)) : found;
      }),
  );

  typed.patch(
    "/v1/webhooks/:id",
    {
      config: { access: "write" },
      schema: {
        operationId: "updateWebhook",
        tags: TAGS,
        summary: "Change a webhook, pause it, or re-enable it",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: updateBody,
        response: { 200: webhookSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inWebhookScope(request, reply, deps, async (scope) => {
        const body = request.body;
        const listed = await resolveNamespaceList(request, deps, body.namespaces);
        if (!listed.ok) return listed;
        const updated = await client.updateWebhook(
          {
            namespaceId: scope.namespaceId,
            webhookId: request.params.id,
            webhookName: body.webhook_name,
            url: body.url,
            events: body.events ?? [],
            hasEvents: body.events !== undefined,
            headers: body.headers ?? {},
            hasHeaders: body.headers !== undefined,
            namespaces: listed.value ?? [],
            hasNamespaces: listed.value !== undefined,
            isActive: body.is_active,
            rateLimitPerSecond:
              body.rate_limit_per_second === undefined ? undefined : (body.rate_limit_per_second ?? 0),
          },
          scope.call,
        );
        return updated.ok ? ok(webhookView(updated.value.webhook)) : updated;
      }),
  );

  typed.delete(
    "/v1/webhooks/:id",
    {
      config: { access: "write" },
      schema: {
        operationId: "deleteWebhook",
        tags: TAGS,
        summary: "Delete a webhook; its pending deliveries are dropped",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        response: { 200: webhookSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inWebhookScope(request, reply, deps, async (scope) => {
        const deleted = await client.deleteWebhook(
          { namespaceId: scope.namespaceId, webhookId: request.params.id },
          scope.call,
        );
        return deleted.ok ? ok(webhookView(deleted.value.webhook)) : deleted;
      }),
  );

  typed.post(
    "/v1/webhooks/:id/rotate-secret",
    {
      config: { access: "write" },
      schema: {
        operationId: "rotateWebhookSecret",
        tags: TAGS,
        summary: "Issue a new signing secret; the previous one keeps signing during the overlap",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        response: { 200: rotatedWebhookSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inWebhookScope(request, reply, deps, async (scope) => {
        const rotated = await client.rotateSecret(
          { namespaceId: scope.namespaceId, webhookId: request.params.id },
          scope.call,
        );
        if (!rotated.ok) return rotated;
        return ok({
          ...webhookView(rotated.value.webhook),
          secret: rotated.value.secret,
          previous_secret_expires_at: (rotated.value.previousSecretExpiresAt ?? new Date(0)).toISOString(),
        });
      }),
  );
}
