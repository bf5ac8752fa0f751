import { MAX_BATCH_DOCUMENTS } from "@strata/contracts";
import { ok } from "@strata/errors";
import { batchV1 } from "@strata/proto";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { batchFeatureVectorsSchema, packedVector } from "./binary-vectors.js";
import { errorResponses, isoOrNull, namespaceHeaderSchema, timestamp } from "./common.js";
import { createDocumentBody, documentToProto } from "./documents.js";
import { acceptNdjsonBatches } from "./ndjson-batch.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { createInNamespace, identifierParams, inNamespace, scopedCreateHeaderSchema } from "./scoped-call.js";

/** A create-document body whose vectors may also come as base64 float32 (`vector_b64`). */
const batchDocumentBody = createDocumentBody.extend({ features: batchFeatureVectorsSchema.optional() });

const batchBody = z.strictObject({
  documents: z
    .array(batchDocumentBody)
    .min(1, { message: "Give at least one document" })
    .max(MAX_BATCH_DOCUMENTS, {
      message: `A batch holds at most ${MAX_BATCH_DOCUMENTS} documents: split it into several batches`,
    })
    .describe(`1 to ${MAX_BATCH_DOCUMENTS} documents, each shaped like a create-document body`),
});

/**
 * A batch document travels with its vectors packed as float32 bytes: half the size of doubles and
 * no per-number encoding, which matters at 10,000 documents × hundreds of dimensions. A vector
 * that came as `vector_b64` is sent as the bytes it was decoded into, without another copy.
 */
function batchDocumentToProto(body: z.infer<typeof batchDocumentBody>): batchV1.BatchDocument {
  const packedFeatures: Record<string, Buffer> = {};
  for (const [uri, values] of Object.entries(body.features ?? {})) packedFeatures[uri] = packedVector(values);
  return { ...documentToProto({ ...body, features: {} }), features: {}, packedFeatures };
}

const STATUSES = ["pending", "processing", "completed", "failed"] as const;
type Status = (typeof STATUSES)[number];

const acceptedSchema = z
  .object({ batch_id: z.string(), status: z.enum(STATUSES) })
  .meta({ id: "BatchAccepted" });

const batchSchema = z
  .object({
    batch_id: z.string(),
    collection_id: z.string(),
    status: z.enum(STATUSES),
    total: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    errors: z.array(
      z.object({
        index: z.number().int().describe("Position of the item in the request's documents"),
        error: z.object({ type: z.string(), message: z.string() }),
      }),
    ),
    created_at: timestamp.nullable(),
    updated_at: timestamp.nullable(),
  })
  .meta({ id: "Batch" });

const TAGS = ["Batches"];

function statusOf(status: batchV1.BatchStatus): Status {
  switch (status) {
    case batchV1.BatchStatus.BATCH_STATUS_PROCESSING:
      return "processing";
    case batchV1.BatchStatus.BATCH_STATUS_COMPLETED:
      return "completed";
    case batchV1.BatchStatus.BATCH_STATUS_FAILED:
      return "failed";
    default:
      return "pending";
  }
}

function batchView(batch: batchV1.Batch | undefined): z.infer<typeof batchSchema> {
  return {
    batch_id: batch?.batchId ?? "",
    collection_id: batch?.collectionId ?? "",
    status: statusOf(batch?.status ?? batchV1.BatchStatus.BATCH_STATUS_UNSPECIFIED),
    total: batch?.total ?? 0,
    succeeded: batch?.succeeded ?? 0,
    failed: batch?.failed ?? 0,
    errors: (batch?.errors ?? []).map((e) => ({
      index: e.index,
      error: { type: e.type, message: e.message },
    })),
    created_at: isoOrNull(batch?.createdAt),
    updated_at: isoOrNull(batch?.updatedAt),
  };
}

/**
 * A full batch is a message of up to 15 MB. With three 5,000-document batches in flight on the
 * embedded platform (one event loop, busy writing the earlier batches' chunks), its transfer and
 * store write were once seen to pass the default 10 s deadline: a 503 for a batch that the
 * namespace service may still create.
 */
const BATCH_SUBMIT_DEADLINE_MS = 60_000;

export function registerBatchRoutes(
  app: FastifyInstance,
  deps: RouteDeps,
  options: { bodyLimitBytes: number },
): void {
  // The create route in a scope of its own: only it takes NDJSON bodies.
  app.register(async (scope) => {
    acceptNdjsonBatches(scope);
    registerCreateBatch(scope, deps, options);
  });
  registerReadBatch(app, deps);
}

function registerCreateBatch(
  app: FastifyInstance,
  deps: RouteDeps,
  options: { bodyLimitBytes: number },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const client = deps.backends.batch;
  typed.post(
    "/v1/collections/:id/documents/batch",
    {
      config: { access: "write" },
      bodyLimit: options.bodyLimitBytes,
      schema: {
        tags: TAGS,
        operationId: "createBatch",
        summary: "Ingest up to 10,000 documents; answers at once, GET /v1/batches/{id} shows progress",
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        params: identifierParams("Collection"),
        body: batchBody,
        response: { 202: acceptedSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      createInNamespace(request, reply, deps, 202, async (scope, requestToken) => {
        const created = await client.createBatch(
          {
            namespaceId: scope.namespaceId,
            collectionIdentifier: request.params.id,
            documents: request.body.documents.map(batchDocumentToProto),
            requestToken,
          },
          { ...scope.call, deadlineMs: BATCH_SUBMIT_DEADLINE_MS },
        );
        if (!created.ok) return created;
        const view = batchView(created.value.batch);
        return ok({ batch_id: view.batch_id, status: view.status });
      }),
  );
}

function registerReadBatch(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const client = deps.backends.batch;
  typed.get(
    "/v1/batches/:id",
    {
      config: { access: "read" },
      schema: {
        tags: TAGS,
        operationId: "getBatch",
        summary: "A batch's status, counters and per-item errors",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: z.object({ id: z.string().min(1).describe("Batch id") }),
        response: { 200: batchSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const found = await client.getBatch(
          { namespaceId: scope.namespaceId, batchId: request.params.id },
          scope.call,
        );
        return found.ok ? ok(batchView(found.value.batch)) : found;
      }),
  );
}
