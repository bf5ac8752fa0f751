import { FEATURE_URI_FORMAT, MAX_RETRIEVER_COLLECTIONS, MAX_TOP_K } from "@strata/contracts";
import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { errorResponses, jsonObjectSchema, namespaceHeaderSchema } from "./common.js";
import { registerIdentifiedRoute } from "./identified-route.js";
import { registerListRoute } from "./list-route.js";
import {
  executeResponseSchema,
  executeView,
  queryInputSchema,
  queryToProto,
  retrieverSchema,
  retrieverView,
} from "./retriever-view.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import {
  createInNamespace,
  descriptionSchema,
  identifierParams,
  inNamespace,
  scopedCreateHeaderSchema,
  scopeOf,
} from "./scoped-call.js";

const retrieverName = z.string().min(1).max(128);
const collectionIds = z
  .array(z.string().min(1).max(256))
  .min(1)
  .max(MAX_RETRIEVER_COLLECTIONS)
  .describe("Collection ids or names; stored as ids");
const featureUri = z.string().min(1).max(512).describe(FEATURE_URI_FORMAT);
const topK = z.number().int().min(1).max(MAX_TOP_K);
const filters = jsonObjectSchema.describe(
  "The filter language: {AND|OR|NOT: [...]} or {field, operator, value}",
);

const createBody = z.strictObject({
  retriever_name: retrieverName,
  description: descriptionSchema.optional(),
  collection_ids: collectionIds,
  feature_uri: featureUri,
  top_k: topK.optional().describe(`1 to ${MAX_TOP_K}; default 10`),
  filters: filters.optional(),
  score_threshold: z.number().optional().describe("Hits scoring below are left out"),
});

const updateBody = z
  .strictObject({
    retriever_name: retrieverName.optional(),
    description: descriptionSchema.optional(),
    collection_ids: collectionIds.optional(),
    feature_uri: featureUri.optional(),
    top_k: topK.optional(),
    filters: filters.nullable().optional().describe("null removes the filter"),
    score_threshold: z.number().nullable().optional().describe("null removes the threshold"),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Give at least one field" });

const executeBody = z.strictObject({
  query: queryInputSchema,
  filters: filters.optional().describe("ANDed with the retriever's own filter"),
  top_k: topK.optional().describe("Overrides the retriever's top_k for this call"),
  include_cold: z
    .boolean()
    .optional()
    .describe(
      "Also scan the cold tier: slow, every cold document of the collections is read and scored. Hot and warm are always searched.",
    ),
});

const deletedSchema = retrieverSchema
  .extend({ deleted_alerts: z.number().int().describe("Alerts of this retriever, deleted with it") })
  .meta({ id: "DeletedRetriever" });

const params = identifierParams("Retriever");
const TAGS = ["Retrievers"];

export function registerRetrieverRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;
  const client = backends.retriever;

  typed.post(
    "/v1/retrievers",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "createRetriever",
        summary: "Create a retriever: a saved search over one feature of some collections",
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        body: createBody,
        response: { 201: retrieverSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      return createInNamespace(request, reply, deps, 201, async (scope) => {
        const created = await client.createRetriever(
          {
            namespaceId: scope.namespaceId,
            retrieverName: body.retriever_name,
            description: body.description ?? "",
            collectionIdentifiers: body.collection_ids,
            featureUri: body.feature_uri,
            topK: body.top_k ?? 0,
            filters: body.filters,
            scoreThreshold: body.score_threshold,
          },
          scope.call,
        );
        return created.ok ? ok(retrieverView(created.value.retriever)) : created;
      });
    },
  );

  registerListRoute(app, deps, client.listRetrievers, {
    path: "/v1/retrievers",
    tags: TAGS,
    operationId: "listRetrievers",
    summary: "List the retrievers of a namespace",
    item: retrieverSchema,
    views: (listed) => listed.retrievers.map(retrieverView),
  });

  registerIdentifiedRoute(app, deps, client.getRetriever, {
    method: "GET",
    path: "/v1/retrievers/:id",
    noun: "Retriever",
    tags: TAGS,
    operationId: "getRetriever",
    summary: "Get a retriever by id or name",
    view: retrieverSchema,
    toView: (found) => retrieverView(found.retriever),
  });

  typed.patch(
    "/v1/retrievers/:id",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "updateRetriever",
        summary: "Change a retriever's name, collections, feature, top_k, filters or threshold",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: updateBody,
        response: { 200: retrieverSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const body = request.body;
      const updated = await client.updateRetriever(
        {
          namespaceId: scope.value.namespaceId,
          identifier: request.params.id,
          retrieverName: body.retriever_name,
          description: body.description,
          collections:
            body.collection_ids === undefined ? undefined : { collectionIdentifiers: body.collection_ids },
          featureUri: body.feature_uri,
          topK: body.top_k,
          filters: body.filters ?? undefined,
          removeFilters: body.filters === null,
          scoreThreshold: body.score_threshold ?? undefined,
          removeScoreThreshold: body.score_threshold === null,
        },
        scope.value.call,
      );
      if (!updated.ok) return sendAppError(request, reply, updated.error);
      return retrieverView(updated.value.retriever);
    },
  );

  registerIdentifiedRoute(app, deps, client.deleteRetriever, {
    method: "DELETE",
    path: "/v1/retrievers/:id",
    noun: "Retriever",
    tags: TAGS,
    operationId: "deleteRetriever",
    summary: "Delete a retriever and its alerts",
    view: deletedSchema,
    toView: (deleted) => ({ ...retrieverView(deleted.retriever), deleted_alerts: deleted.deletedAlerts }),
  });

  typed.post(
    "/v1/retrievers/:id/execute",
    {
      config: { access: "read" },
      schema: {
        tags: TAGS,
        operationId: "executeRetriever",
        summary: "Run a retriever: the nearest documents to a vector, a document or a text",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: executeBody,
        response: { 200: executeResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const body = request.body;
        const executed = await client.executeRetriever(
          {
            namespaceId: scope.namespaceId,
            identifier: request.params.id,
            query: queryToProto(body.query),
            filters: body.filters,
            topK: body.top_k ?? 0,
            includeCold: body.include_cold === true,
          },
          scope.call,
        );
        return executed.ok ? ok(executeView(executed.value)) : executed;
      }),
  );
}
