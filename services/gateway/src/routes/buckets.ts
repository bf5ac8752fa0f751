import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { bucketSchema, bucketView } from "./bucket-view.js";
import { errorResponses } from "./common.js";
import { registerIdentifiedRoute } from "./identified-route.js";
import { registerListRoute } from "./list-route.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { createInNamespace, descriptionSchema, scopedCreateHeaderSchema } from "./scoped-call.js";

const createBody = z.strictObject({
  bucket_name: z.string().min(1).max(128).describe("Unique in the namespace; may not start with bkt_"),
  description: descriptionSchema.optional(),
});

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
        operationId: "createBucket",
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
        const created = await client.createBucket(
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

  registerListRoute(app, deps, client.listBuckets, {
    path: "/v1/buckets",
    tags: BUCKET_TAGS,
    operationId: "listBuckets",
    summary: "List the buckets of a namespace",
    item: bucketSchema,
    views: (listed) => listed.buckets.map(bucketView),
  });

  registerIdentifiedRoute(app, deps, client.getBucket, {
    method: "GET",
    path: "/v1/buckets/:id",
    noun: "Bucket",
    tags: BUCKET_TAGS,
    operationId: "getBucket",
    summary: "Get a bucket by id or name",
    view: bucketSchema,
    toView: (found) => bucketView(found.bucket),
  });

  registerIdentifiedRoute(app, deps, client.deleteBucket, {
    method: "DELETE",
    path: "/v1/buckets/:id",
    noun: "Bucket",
    tags: BUCKET_TAGS,
    operationId: "deleteBucket",
    summary: "Delete a bucket and every object in it",
    view: bucketSchema,
    toView: (deleted) => bucketView(deleted.bucket),
  });
}
