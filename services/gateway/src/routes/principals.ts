import type { authV1 } from "@strata/proto";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { answerIdempotently } from "../http/idempotent-answer.js";
import { callerOf, traceContextOf } from "../http/request-state.js";
import {
  DEFAULT_PAGE_SIZE,
  errorResponses,
  idempotencyHeaderSchema,
  jsonObjectSchema,
  listQuerySchema,
  listResponseSchema,
  stringOrNull,
  timestamp,
} from "./common.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

const principalId = z.string().min(1).max(256).describe("The id your application gives its end user");
const roles = z.array(z.string().min(1).max(100)).max(50);

const principalSchema = z
  .object({
    principal_id: z.string(),
    roles: z.array(z.string()),
    attributes: z.record(z.string(), z.unknown()),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Principal" });

const createBody = z.strictObject({
  principal_id: principalId,
  roles: roles.optional(),
  attributes: jsonObjectSchema.optional(),
});

const updateBody = z.strictObject({ roles: roles.optional(), attributes: jsonObjectSchema.optional() });

const params = z.object({ principal_id: principalId });

function principalView(p: authV1.Principal | undefined) {
  return {
    principal_id: p?.principalId ?? "",
    roles: [...(p?.roles ?? [])],
    attributes: { ...(p?.attributes ?? {}) },
    created_at: p?.createdAt?.toISOString() ?? "",
    updated_at: p?.updatedAt?.toISOString() ?? "",
  };
}

const TAGS = ["Principals"];

/** Principals: the end users of your application, whom document ACLs name (ADR 0018). Admin keys only. */
export function registerPrincipalRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;
  const call = (request: Parameters<typeof callerOf>[0]) => ({
    caller: callerOf(request),
    trace: traceContextOf(request),
  });

  typed.post(
    "/v1/principals",
    {
      config: { access: "admin" },
      schema: {
        operationId: "createPrincipal",
        tags: TAGS,
        summary: "Create a principal",
        description: "An end user of your application, with roles and attributes that ACL rules can use.",
        security: BEARER,
        headers: idempotencyHeaderSchema,
        body: createBody,
        response: { 201: principalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await answerIdempotently(request, reply, deps.idempotency, async () => {
        const created = await backends.auth.createPrincipal(
          {
            principalId: request.body.principal_id,
            roles: request.body.roles ?? [],
            attributes: request.body.attributes ?? {},
          },
          call(request),
        );
        return created.ok
          ? { ok: true, value: { status: 201, body: principalView(created.value.principal) } }
          : created;
      });
      return reply;
    },
  );

  typed.get(
    "/v1/principals",
    {
      config: { access: "admin" },
      schema: {
        operationId: "listPrincipals",
        tags: TAGS,
        summary: "List principals",
        security: BEARER,
        querystring: listQuerySchema,
        response: { 200: listResponseSchema(principalSchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const listed = await backends.auth.listPrincipals(
        { limit: request.query.limit ?? DEFAULT_PAGE_SIZE, cursor: request.query.cursor ?? "" },
        call(request),
      );
      if (!listed.ok) return sendAppError(request, reply, listed.error);
      return {
        data: listed.value.principals.map(principalView),
        next_cursor: stringOrNull(listed.value.nextCursor),
      };
    },
  );

  typed.get(
    "/v1/principals/:principal_id",
    {
      config: { access: "admin" },
      schema: {
        operationId: "getPrincipal",
        tags: TAGS,
        summary: "Get a principal",
        security: BEARER,
        params,
        response: { 200: principalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const got = await backends.auth.getPrincipal(
        { principalId: request.params.principal_id },
        call(request),
      );
      return got.ok ? principalView(got.value.principal) : sendAppError(request, reply, got.error);
    },
  );

  typed.patch(
    "/v1/principals/:principal_id",
    {
      config: { access: "admin" },
      schema: {
        operationId: "updatePrincipal",
        tags: TAGS,
        summary: "Change a principal's roles or attributes",
        description: "Each given field is replaced whole. Takes effect on every gateway within a second.",
        security: BEARER,
        params,
        body: updateBody,
        response: { 200: principalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { roles: newRoles, attributes } = request.body;
      const updated = await backends.auth.updatePrincipal(
        {
          principalId: request.params.principal_id,
          setRoles: newRoles !== undefined,
          roles: newRoles ?? [],
          attributes,
        },
        call(request),
      );
      return updated.ok
        ? principalView(updated.value.principal)
        : sendAppError(request, reply, updated.error);
    },
  );

  typed.delete(
    "/v1/principals/:principal_id",
    {
      config: { access: "admin" },
      schema: {
        operationId: "deletePrincipal",
        tags: TAGS,
        summary: "Delete a principal",
        security: BEARER,
        params,
        response: { 200: principalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const deleted = await backends.auth.deletePrincipal(
        { principalId: request.params.principal_id },
        call(request),
      );
      return deleted.ok
        ? principalView(deleted.value.principal)
        : sendAppError(request, reply, deleted.error);
    },
  );
}
