import type { Context } from "@opentelemetry/api";
import type { Caller } from "@strata/access";
import {
  type AppError,
  appError,
  err,
  forbidden,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { isId } from "@strata/ids";
import { permissionToProto } from "@strata/proto";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { answerIdempotently } from "../http/idempotent-answer.js";
import { callerOf, traceContextOf } from "../http/request-state.js";
import { apiKeySchema, apiKeyView, permissionSchema } from "./api-key-view.js";
import {
  DEFAULT_PAGE_SIZE,
  errorResponses,
  idempotencyHeaderSchema,
  idParamsSchema,
  jsonObjectSchema,
  listQuerySchema,
  listResponseSchema,
  stringOrNull,
} from "./common.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

const createKeyBody = z.strictObject({
  name: z.string().min(1).max(200),
  permissions: z.array(permissionSchema).min(1).max(4),
  namespaces: z.array(z.string().min(1).max(256)).max(100).optional().describe("Namespace ids or names"),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  principal_id: z.string().min(1).max(200).optional(),
  roles: z.array(z.string().min(1).max(200)).max(100).optional(),
  attributes: jsonObjectSchema.optional(),
});

const createdKeySchema = apiKeySchema
  .extend({ api_key: z.string().describe("The secret. Shown only in this answer: store it now.") })
  .meta({ id: "CreatedApiKey" });

const rotateBody = z
  .strictObject({
    overlap_seconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .optional()
      .describe("How long the old key keeps working; 0 (the default) ends it at once"),
  })
  .optional();

const rotatedKeySchema = createdKeySchema.extend({ previous: apiKeySchema }).meta({ id: "RotatedApiKey" });

const TAGS = ["API keys"];

export function registerApiKeyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;

  typed.post(
    "/v1/api-keys",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "createApiKey",
        summary: "Create an API key",
        security: BEARER,
        headers: idempotencyHeaderSchema,
        body: createKeyBody,
        response: { 201: createdKeySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await answerIdempotently(request, reply, deps.idempotency, async () => {
        const caller = callerOf(request);
        const body = request.body;
        const namespaces = await resolveNamespaces(
          deps,
          caller,
          body.namespaces ?? [],
          traceContextOf(request),
        );
        if (!namespaces.ok) return namespaces;
        // A key limited to some namespaces must not mint one that reaches more than it does.
        if (caller.namespaces.length > 0 && namespaces.value.length === 0) {
          return err(
            forbidden("A namespace-restricted key can only create keys restricted to its namespaces"),
          );
        }
        const created = await backends.auth.createKey(
          {
            name: body.name,
            permissions: body.permissions.map(permissionToProto),
            namespaces: namespaces.value,
            expiresAt: body.expires_at === undefined ? undefined : new Date(body.expires_at),
            principalId: body.principal_id,
            roles: body.roles ?? [],
            attributes: body.attributes ?? {},
          },
          { caller, trace: traceContextOf(request) },
        );
        if (!created.ok) return created;
        return ok({ status: 201, body: { ...apiKeyView(created.value.key), api_key: created.value.secret } });
      });
      return reply;
    },
  );

  typed.get(
    "/v1/api-keys",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "listApiKeys",
        summary: "List API keys",
        security: BEARER,
        querystring: listQuerySchema,
        response: { 200: listResponseSchema(apiKeySchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const listed = await backends.auth.listKeys(
        { limit: request.query.limit ?? DEFAULT_PAGE_SIZE, cursor: request.query.cursor ?? "" },
        { caller: callerOf(request), trace: traceContextOf(request) },
      );
      if (!listed.ok) return sendAppError(request, reply, listed.error);
      return { data: listed.value.keys.map(apiKeyView), next_cursor: stringOrNull(listed.value.nextCursor) };
    },
  );

  typed.get(
    "/v1/api-keys/:id",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "getApiKey",
        summary: "Get an API key",
        security: BEARER,
        params: idParamsSchema,
        response: { 200: apiKeySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!isId("apiKey", id)) return sendAppError(request, reply, keyNotFound(id));
      const got = await backends.auth.getKey(
        { keyId: id },
        { caller: callerOf(request), trace: traceContextOf(request) },
      );
      if (!got.ok) return sendAppError(request, reply, got.error);
      return apiKeyView(got.value.key);
    },
  );

  typed.delete(
    "/v1/api-keys/:id",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "revokeApiKey",
        summary: "Revoke an API key",
        description: "The key stops working at every gateway within a second.",
        security: BEARER,
        params: idParamsSchema,
        response: { 200: apiKeySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!isId("apiKey", id)) return sendAppError(request, reply, keyNotFound(id));
      const revoked = await backends.auth.revokeKey(
        { keyId: id },
        { caller: callerOf(request), trace: traceContextOf(request) },
      );
      if (!revoked.ok) return sendAppError(request, reply, revoked.error);
      // This gateway need not wait for the api_key.revoked event to reach it.
      deps.verifier.invalidateKey(id);
      return apiKeyView(revoked.value.key);
    },
  );

  typed.post(
    "/v1/api-keys/:id/rotate",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "rotateApiKey",
        summary: "Rotate an API key",
        description: "Issues a replacement key; the old one keeps working for overlap_seconds.",
        security: BEARER,
        headers: idempotencyHeaderSchema,
        params: idParamsSchema,
        body: rotateBody,
        response: { 201: rotatedKeySchema, ...errorResponses },
      },
      // The body is optional, and fastify validates a missing one as null: no body means `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!isId("apiKey", id)) return sendAppError(request, reply, keyNotFound(id));
      return answerIdempotently(request, reply, deps.idempotency, async () => {
        const rotated = await backends.auth.rotateKey(
          { keyId: id, overlapSeconds: request.body?.overlap_seconds ?? 0 },
          { caller: callerOf(request), trace: traceContextOf(request) },
        );
        if (!rotated.ok) return rotated;
        deps.verifier.invalidateKey(id);
        const { key, secret, previous } = rotated.value;
        return ok({
          status: 201,
          body: { ...apiKeyView(key), api_key: secret, previous: apiKeyView(previous) },
        });
      });
    },
  );
}

function keyNotFound(id: string): AppError {
  return appError("not_found", "API key not found", { resource: "api_key", id });
}

/** Namespace ids or names → ids, each one the caller can reach; unknown ones are a 422 naming them. */
async function resolveNamespaces(
  deps: RouteDeps,
  caller: Caller,
  identifiers: readonly string[],
  trace: Context | undefined,
): Promise<Result<string[], AppError>> {
  const ids = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const [index, identifier] of identifiers.entries()) {
    const resolved = await deps.namespaces.resolve(caller, identifier, trace);
    if (resolved.ok) ids.add(resolved.value.namespaceId);
    else if (resolved.error.kind === "not_found") {
      issues.push({
        location: `body.namespaces[${index}]`,
        message: `Unknown namespace "${identifier}"`,
        type: "unknown_namespace",
      });
    } else return resolved;
  }
  return issues.length > 0 ? err(validationFailed(issues)) : ok([...ids]);
}
