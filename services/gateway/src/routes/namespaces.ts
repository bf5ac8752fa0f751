import { ok } from "@strata/errors";
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
  idParamsSchema,
  listQuerySchema,
  listResponseSchema,
  stringOrNull,
} from "./common.js";
import { namespaceSchema, namespaceView } from "./namespace-view.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

export const namespaceName = z.string().min(1).max(128);
export const description = z.string().max(2000);

const createBody = z.strictObject({ namespace_name: namespaceName, description: description.optional() });

const updateBody = z
  .strictObject({ namespace_name: namespaceName.optional(), description: description.optional() })
  .refine((b) => b.namespace_name !== undefined || b.description !== undefined, {
    message: "Give namespace_name, description or both",
  });

export const idOrNameParams = idParamsSchema.extend({
  id: z.string().describe("Namespace id (ns_…) or name"),
});

const TAGS = ["Namespaces"];

export function registerNamespaceRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;

  typed.post(
    "/v1/namespaces",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "createNamespace",
        summary: "Create a namespace",
        security: BEARER,
        headers: idempotencyHeaderSchema,
        body: createBody,
        response: { 201: namespaceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await answerIdempotently(request, reply, deps.idempotency, async () => {
        const created = await backends.namespace.createNamespace(
          { namespaceName: request.body.namespace_name, description: request.body.description ?? "" },
          { caller: callerOf(request), trace: traceContextOf(request) },
        );
        if (!created.ok) return created;
        return ok({ status: 201, body: namespaceView(created.value.namespace) });
      });
      return reply;
    },
  );

  typed.get(
    "/v1/namespaces",
    {
      config: { access: "read" },
      schema: {
        tags: TAGS,
        operationId: "listNamespaces",
        summary: "List namespaces",
        security: BEARER,
        querystring: listQuerySchema,
        response: { 200: listResponseSchema(namespaceSchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const listed = await backends.namespace.listNamespaces(
        { limit: request.query.limit ?? DEFAULT_PAGE_SIZE, cursor: request.query.cursor ?? "" },
        { caller: callerOf(request), trace: traceContextOf(request) },
      );
      if (!listed.ok) return sendAppError(request, reply, listed.error);
      return {
        data: listed.value.namespaces.map(namespaceView),
        next_cursor: stringOrNull(listed.value.nextCursor),
      };
    },
  );

  typed.get(
    "/v1/namespaces/:id",
    {
      config: { access: "read" },
      schema: {
        tags: TAGS,
        operationId: "getNamespace",
        summary: "Get a namespace by id or name",
        security: BEARER,
        params: idOrNameParams,
        response: { 200: namespaceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      // Served by the resolver's cache: the same lookup X-Namespace uses.
      const resolved = await deps.namespaces.resolve(
        callerOf(request),
        request.params.id,
        traceContextOf(request),
      );
      if (!resolved.ok) return sendAppError(request, reply, resolved.error);
      return namespaceView(resolved.value);
    },
  );

  typed.patch(
    "/v1/namespaces/:id",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "updateNamespace",
        summary: "Rename a namespace or change its description",
        security: BEARER,
        params: idOrNameParams,
        body: updateBody,
        response: { 200: namespaceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      // Resolving first (usually cached) applies the key's namespace scope before anything changes.
      const resolved = await deps.namespaces.resolve(caller, request.params.id, traceContextOf(request));
      if (!resolved.ok) return sendAppError(request, reply, resolved.error);
      const updated = await backends.namespace.updateNamespace(
        {
          identifier: resolved.value.namespaceId,
          namespaceName: request.body.namespace_name,
          description: request.body.description,
        },
        { caller, trace: traceContextOf(request) },
      );
      deps.namespaces.invalidate(resolved.value.namespaceId);
      if (!updated.ok) return sendAppError(request, reply, updated.error);
      return namespaceView(updated.value.namespace);
    },
  );

  typed.delete(
    "/v1/namespaces/:id",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "deleteNamespace",
        summary: "Delete a namespace and everything in it",
        security: BEARER,
        params: idOrNameParams,
        response: { 200: namespaceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const resolved = await deps.namespaces.resolve(caller, request.params.id, traceContextOf(request));
      if (!resolved.ok) return sendAppError(request, reply, resolved.error);
      const deleted = await backends.namespace.deleteNamespace(
        { identifier: resolved.value.namespaceId },
        { caller, trace: traceContextOf(request) },
      );
      deps.namespaces.invalidate(resolved.value.namespaceId);
      if (!deleted.ok) return sendAppError(request, reply, deleted.error);
      return namespaceView(deleted.value.namespace);
    },
  );
}
