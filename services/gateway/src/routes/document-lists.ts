import type { AppError, Result } from "@strata/errors";
import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import {
  DEFAULT_PAGE_SIZE,
  errorResponses,
  jsonObjectSchema,
  listQuerySchema,
  listResponseSchema,
  MAX_PAGE_SIZE,
  namespaceHeaderSchema,
  stringOrNull,
} from "./common.js";
import { type DocumentView, documentSchema, documentView } from "./document-view.js";
import { includeFeaturesQuery } from "./documents.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { identifierParams, type Scope, scopeOf } from "./scoped-call.js";

const listBody = z
  .strictObject({
    filters: jsonObjectSchema
      .optional()
      .describe("{AND|OR|NOT: [{field, operator, value}]} on metadata.<indexed field> and built-ins"),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
    cursor: z.string().min(1).max(1024).optional(),
    include_features: z.boolean().optional(),
  })
  .optional();

const listQuery = listQuerySchema.extend({ include_features: includeFeaturesQuery });
const params = identifierParams("Collection");
const pageSchema = listResponseSchema(documentSchema);
const TAGS = ["Documents"];

interface ListInput {
  readonly collection: string;
  readonly filters?: Record<string, unknown> | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  readonly includeFeatures: boolean;
}

/** GET lists everything; POST …/list (as Mixpeek does) carries a filter in its body. */
export function registerDocumentListRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  const list = async (
    scope: Scope,
    input: ListInput,
  ): Promise<Result<{ data: DocumentView[]; next_cursor: string | null }, AppError>> => {
    const client = deps.backends.document;
    const listed = await client.listDocuments(
      {
        namespaceId: scope.namespaceId,
        collectionIdentifier: input.collection,
        filters: input.filters,
        limit: input.limit ?? DEFAULT_PAGE_SIZE,
        cursor: input.cursor ?? "",
        includeFeatures: input.includeFeatures,
      },
      scope.call,
    );
    if (!listed.ok) return listed;
    return ok({
      data: listed.value.documents.map((d) => documentView(d, input.includeFeatures)),
      next_cursor: stringOrNull(listed.value.nextCursor),
    });
  };

  typed.get(
    "/v1/collections/:id/documents",
    {
      config: { access: "read" },
      schema: {
        tags: TAGS,
        operationId: "listDocuments",
        summary: "List the documents of a collection, newest first",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        querystring: listQuery,
        response: { 200: pageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const page = await list(scope.value, {
        collection: request.params.id,
        limit: request.query.limit,
        cursor: request.query.cursor,
        includeFeatures: request.query.include_features === "true",
      });
      return page.ok ? page.value : sendAppError(request, reply, page.error);
    },
  );

  typed.post(
    "/v1/collections/:id/documents/list",
    {
      // A read: POST only because a filter does not fit in a query string.
      config: { access: "read" },
      schema: {
        tags: TAGS,
        operationId: "filterDocuments",
        summary: "List the documents of a collection matching a filter, newest first",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: listBody,
        response: { 200: pageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const body = request.body ?? {};
      const page = await list(scope.value, {
        collection: request.params.id,
        filters: body.filters,
        limit: body.limit,
        cursor: body.cursor,
        includeFeatures: body.include_features === true,
      });
      return page.ok ? page.value : sendAppError(request, reply, page.error);
    },
  );
}
