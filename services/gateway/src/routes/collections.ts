import { MAX_DIMENSIONS, METRICS } from "@strata/contracts";
import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import {
  collectionSchema,
  collectionView,
  collectionWithIndexSchema,
  featuresToProto,
} from "./collection-view.js";
import { errorResponses, jsonObjectSchema, namespaceHeaderSchema } from "./common.js";
import { registerIdentifiedRoute } from "./identified-route.js";
import { registerListRoute } from "./list-route.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import {
  createInNamespace,
  descriptionSchema,
  identifierParams,
  scopedCreateHeaderSchema,
  scopeOf,
} from "./scoped-call.js";

const collectionName = z.string().min(1).max(128);
const featureInput = z.strictObject({
  feature_uri: z.string().min(1).max(512).describe("strata://{extractor}@{version}/{output}"),
  dimensions: z.number().int().min(1).max(MAX_DIMENSIONS),
  metric: z.enum(METRICS).optional().describe("cosine when omitted"),
});
const features = z.array(featureInput).max(64);
const indexedFields = z.array(z.string().min(1).max(256)).max(64);

const createBody = z.strictObject({
  collection_name: collectionName,
  description: descriptionSchema.optional(),
  features,
  metadata_schema: jsonObjectSchema.optional().describe("A JSON Schema subset documents must satisfy"),
  indexed_fields: indexedFields.optional().describe("Metadata paths list filters may use"),
});

const updateBody = z
  .strictObject({
    collection_name: collectionName.optional(),
    description: descriptionSchema.optional(),
    features: features
      .optional()
      .describe("The full new list: existing features stay, new ones may be added"),
    metadata_schema: jsonObjectSchema.nullable().optional().describe("null removes the schema"),
    indexed_fields: indexedFields.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Give at least one field" });

const deletedSchema = collectionSchema
  .extend({ deleted_documents: z.number().int() })
  .meta({ id: "DeletedCollection" });

const params = identifierParams("Collection");
const TAGS = ["Collections"];

export function registerCollectionRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;
  const client = backends.collection;

  typed.post(
    "/v1/collections",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "createCollection",
        summary: "Create a collection",
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        body: createBody,
        response: { 201: collectionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      return createInNamespace(request, reply, deps, 201, async (scope) => {
        const created = await client.createCollection(
          {
            namespaceId: scope.namespaceId,
            collectionName: body.collection_name,
            description: body.description ?? "",
            features: featuresToProto(body.features),
            metadataSchema: body.metadata_schema,
            indexedFields: body.indexed_fields ?? [],
          },
          scope.call,
        );
        return created.ok ? ok(collectionView(created.value.collection)) : created;
      });
    },
  );

  registerListRoute(app, deps, client.listCollections, {
    path: "/v1/collections",
    tags: TAGS,
    operationId: "listCollections",
    summary: "List the collections of a namespace",
    item: collectionSchema,
    views: (listed) => listed.collections.map(collectionView),
  });

  registerIdentifiedRoute(app, deps, client.getCollection, {
    method: "GET",
    path: "/v1/collections/:id",
    noun: "Collection",
    tags: TAGS,
    operationId: "getCollection",
    summary: "Get a collection by id or name",
    view: collectionWithIndexSchema,
    toView: (found) => ({
      ...collectionView(found.collection),
      vector_index: found.vectorIndex.map((s) => ({
        feature_uri: s.featureUri,
        vectors: s.vectors,
        pending: s.pending,
      })),
    }),
  });

  typed.patch(
    "/v1/collections/:id",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "updateCollection",
        summary: "Rename a collection, add features, or change its schema or indexed fields",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: updateBody,
        response: { 200: collectionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const body = request.body;
      const updated = await client.updateCollection(
        {
          namespaceId: scope.value.namespaceId,
          identifier: request.params.id,
          collectionName: body.collection_name,
          description: body.description,
          features: body.features === undefined ? undefined : { features: featuresToProto(body.features) },
          metadataSchema: body.metadata_schema ?? undefined,
          removeMetadataSchema: body.metadata_schema === null,
          indexedFields:
            body.indexed_fields === undefined ? undefined : { indexedFields: body.indexed_fields },
        },
        scope.value.call,
      );
      if (!updated.ok) return sendAppError(request, reply, updated.error);
      return collectionView(updated.value.collection);
    },
  );

  registerIdentifiedRoute(app, deps, client.deleteCollection, {
    method: "DELETE",
    path: "/v1/collections/:id",
    noun: "Collection",
    tags: TAGS,
    operationId: "deleteCollection",
    summary: "Delete a collection and every document in it",
    view: deletedSchema,
    toView: (deleted) => ({
      ...collectionView(deleted.collection),
      deleted_documents: deleted.deletedDocuments,
    }),
  });
}
