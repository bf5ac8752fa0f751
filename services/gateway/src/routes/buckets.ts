import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { bucketSchema, bucketView } from "./bucket-view.js";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import { registerListRoute } from "./list-route.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import {
  createInNamespace,
  descriptionSchema,
  identifierParams,
  inNamespace,
  scopedCreateHeaderSchema,
} from "./scoped-call.js";

const createBody = z.strictObject({
  bucket_name: z.string().min(1).max(128).describe("Unique in the namespace; may not start with bkt_"),
  description: descriptionSchema.optional(),
});

const params = identifierParams("Bucket");
export const BUCKET_TAGS = ["Buckets"];

/** Buckets themselves; their objects are in bucket-objects.ts. */
export function registerBucketRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;
  const client = backends.bucket;

  typed.post(
    "/v1/buckets",
    {
      config: { access: "write" },
      schema: {
        tags: BUCKET_TAGS,
        summary: "Create a bucket",
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        body: createBody,
        response: { 201: bucketSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      return createInNamespace(request, reply, deps, 201, async (scope) => {
        const created = await backends.call(
          client.createBucket.bind(client),
          {
            namespaceId: scope.namespaceId,
            bucketName: body.bucket_name,
            description: body.description ?? "",
          },
          scope.call,
        );
        return created.ok ? ok(bucketView(created.value.bucket)) : created;
      });
    },
  );

  registerListRoute(app, deps, client.listBuckets.bind(client), {
    path: "/v1/buckets",
    tags: BUCKET_TAGS,
    summary: "List the buckets of a namespace",
    item: bucketSchema,
    views: (listed) => listed.buckets.map(bucketView),
  });

  typed.get(
    "/v1/buckets/:id",
    {
      config: { access: "read" },
      schema: {
        tags: BUCKET_TAGS,
        summary: "Get a bucket by id or name",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        response: { 200: bucketSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const found = await backends.call(
          client.getBucket.bind(client),
          { namespaceId: scope.namespaceId, identifier: request.params.id },
          scope.call,
        );
        return found.ok ? ok(bucketView(found.value.bucket)) : found;
      }),
  );

  typed.delete(
    "/v1/buckets/:id",
    {
      config: { access: "write" },
      schema: {
        tags: BUCKET_TAGS,
        summary: "Delete a bucket and every object in it",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        response: { 200: bucketSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const deleted = await backends.call(
          client.deleteBucket.bind(client),
          { namespaceId: scope.namespaceId, identifier: request.params.id },
          scope.call,
        );
        return deleted.ok ? ok(bucketView(deleted.value.bucket)) : deleted;
      }),
  );
}
