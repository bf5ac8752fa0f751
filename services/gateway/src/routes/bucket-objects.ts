import { context } from "@opentelemetry/api";
import { type AppError, internal, type Result } from "@strata/errors";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { objectSchema, objectView } from "./bucket-view.js";
import { BUCKET_TAGS } from "./buckets.js";
import {
  DEFAULT_PAGE_SIZE,
  errorResponses,
  listResponseSchema,
  MAX_PAGE_SIZE,
  namespaceHeaderSchema,
  stringOrNull,
} from "./common.js";
import {
  acceptRawBodies,
  discardRestOfBody,
  downloadBody,
  OBJECT_TRANSFER_DEADLINE_MS,
  setObjectHeaders,
  uploadMessages,
} from "./object-transfer.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { type Scope, scopeOf } from "./scoped-call.js";

const KEY_RULES =
  "Segments of letters, digits, '.', '_' and '-' joined by single '/', at most 1024 characters, no '..'";

const bucketParams = z.object({ id: z.string().min(1).describe("Bucket id or name") });
const objectParams = z.object({
  id: z.string().min(1).describe("Bucket id or name"),
  "*": z.string().describe(`The object key (may contain '/'). ${KEY_RULES}`),
});

const putHeaders = z.looseObject({
  ...namespaceHeaderSchema.shape,
  "content-type": z
    .string()
    .optional()
    .describe("Stored with the object; application/octet-stream when absent"),
  "x-checksum-sha256": z
    .string()
    .optional()
    .describe("Hex SHA-256 of the body; a body that differs is refused (400) and nothing is kept"),
});

const listQuery = z.strictObject({
  prefix: z.string().max(1024).optional().describe("Only keys starting with it"),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe(`1 to ${MAX_PAGE_SIZE}`),
  cursor: z.string().min(1).max(1024).optional().describe("next_cursor of the previous page"),
});

// The bytes come back under the Content-Type they were stored with; OpenAPI names the general one.
const OBJECT_BYTES = {
  description: "The object's bytes, with its Content-Type, ETag and X-Checksum-Sha256",
  content: { "application/octet-stream": { schema: z.unknown() } },
};
const NO_BODY = z
  .null()
  .describe("The object's Content-Type, Content-Length, ETag and X-Checksum-Sha256, no body");

/** Objects of a bucket: upload (PUT, streamed), download (GET, streamed), HEAD, list, delete. */
export function registerBucketObjectRoutes(app: FastifyInstance, deps: RouteDeps): void {
  void app.register(async (scope) => {
    acceptRawBodies(scope);
    registerObjectRoutes(scope, deps);
  });
}

function registerObjectRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const client = deps.backends.bucket;

  /** Resolves X-Namespace, then runs `call` inside the request's trace (the gRPC client span's parent). */
  async function scoped<T>(
    request: FastifyRequest,
    call: (scope: Scope) => Promise<Result<T, AppError>>,
  ): Promise<Result<T, AppError>> {
    const scope = await scopeOf(request, deps);
    if (!scope.ok) return scope;
    const { trace } = scope.value.call;
    return trace === undefined ? call(scope.value) : context.with(trace, () => call(scope.value));
  }

  typed.put(
    "/v1/buckets/:id/objects/*",
    {
      config: { access: "write", anyContentType: true },
      schema: {
        tags: BUCKET_TAGS,
        operationId: "putObject",
        summary: "Upload an object (the request body is its bytes; replaces an object with the same key)",
        security: BEARER,
        headers: putHeaders,
        params: objectParams,
        response: { 200: objectSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const checksum = request.headers["x-checksum-sha256"];
      const stored = await scoped(request, (scope) =>
        client.putObject(
          uploadMessages(
            {
              namespaceId: scope.namespaceId,
              bucket: request.params.id,
              key: request.params["*"],
              contentType: request.headers["content-type"] ?? "",
              ...(checksum === undefined ? {} : { expectedSha256: checksum }),
            },
            request.body,
          ),
          { caller: scope.call.caller, deadlineMs: OBJECT_TRANSFER_DEADLINE_MS },
        ),
      );
      if (!stored.ok) {
        discardRestOfBody(request);
        return sendAppError(request, reply, stored.error);
      }
      return objectView(stored.value.object);
    },
  );

  // Before GET: otherwise fastify answers HEAD by running GET and dropping the bytes it streamed.
  typed.head(
    "/v1/buckets/:id/objects/*",
    {
      // @fastify/swagger leaves HEAD routes out unless asked: this one is not GET's shadow.
      config: { access: "read", swagger: { exposeHeadRoute: true } },
      schema: {
        tags: BUCKET_TAGS,
        operationId: "headObject",
        summary: "An object's headers, without its bytes",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: objectParams,
        response: { 200: NO_BODY, ...errorResponses },
      },
    },
    async (request, reply) => {
      const found = await scoped(request, (scope) =>
        client.headObject(
          { namespaceId: scope.namespaceId, bucket: request.params.id, key: request.params["*"] },
          scope.call,
        ),
      );
      if (!found.ok) return sendAppError(request, reply, found.error);
      if (found.value.object === undefined) return sendAppError(request, reply, internal());
      setObjectHeaders(reply, found.value.object);
      // No body: the headers describe the object (Content-Length is its size).
      return reply.code(200).send(null);
    },
  );

  typed.get(
    "/v1/buckets/:id/objects/*",
    {
      config: { access: "read" },
      schema: {
        tags: BUCKET_TAGS,
        operationId: "getObject",
        summary: "Download an object's bytes",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: objectParams,
        response: { 200: OBJECT_BYTES, ...errorResponses },
      },
    },
    async (request, reply) => {
      const opened = await scoped(request, (scope) =>
        client.getObject(
          { namespaceId: scope.namespaceId, bucket: request.params.id, key: request.params["*"] },
          { caller: scope.call.caller, deadlineMs: OBJECT_TRANSFER_DEADLINE_MS },
        ),
      );
      if (!opened.ok) return sendAppError(request, reply, opened.error);
      const info = opened.value.first.info;
      if (info === undefined) return sendAppError(request, reply, internal());
      setObjectHeaders(reply, info);
      return reply.code(200).send(downloadBody(opened.value.rest));
    },
  );

  typed.get(
    "/v1/buckets/:id/objects",
    {
      config: { access: "read" },
      schema: {
        tags: BUCKET_TAGS,
        operationId: "listObjects",
        summary: "List a bucket's objects in key order",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: bucketParams,
        querystring: listQuery,
        response: { 200: listResponseSchema(objectSchema), ...errorResponses },
      },
    },
    async (request, reply) => {
      const listed = await scoped(request, (scope) =>
        client.listObjects(
          {
            namespaceId: scope.namespaceId,
            bucket: request.params.id,
            prefix: request.query.prefix ?? "",
            limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
            cursor: request.query.cursor ?? "",
          },
          scope.call,
        ),
      );
      if (!listed.ok) return sendAppError(request, reply, listed.error);
      return {
        data: listed.value.objects.map(objectView),
        next_cursor: stringOrNull(listed.value.nextCursor),
      };
    },
  );

  typed.delete(
    "/v1/buckets/:id/objects/*",
    {
      config: { access: "write" },
      schema: {
        tags: BUCKET_TAGS,
        operationId: "deleteObject",
        summary: "Delete an object",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: objectParams,
        response: { 200: objectSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const deleted = await scoped(request, (scope) =>
        client.deleteObject(
          { namespaceId: scope.namespaceId, bucket: request.params.id, key: request.params["*"] },
          scope.call,
        ),
      );
      if (!deleted.ok) return sendAppError(request, reply, deleted.error);
      return objectView(deleted.value.object);
    },
  );
}
