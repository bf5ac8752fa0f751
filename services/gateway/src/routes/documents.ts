import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import {
  aclInputSchema,
  aclToProto,
  documentSchema,
  documentView,
  featureVectorsSchema,
  labelsToProto,
  metadataSchema,
  taxonomyLabelsSchema,
  vectorsToProto,
} from "./document-view.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import {
  createInNamespace,
  identifierParams,
  inNamespace,
  scopedCreateHeaderSchema,
  scopeOf,
} from "./scoped-call.js";

const text = z.string().max(1_000_000);

export const createDocumentBody = z.strictObject({
  document_id: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe("Unique within the collection; generated (doc_…) when omitted"),
  metadata: metadataSchema.optional(),
  features: featureVectorsSchema.optional(),
  text: text.optional(),
  taxonomy_labels: taxonomyLabelsSchema.optional(),
  _acl: aclInputSchema.optional(),
});

/** A create body as the DocumentService takes it (a single create and each item of a batch). */
export function documentToProto(body: z.infer<typeof createDocumentBody>) {
  return {
    documentId: body.document_id,
    metadata: body.metadata ?? {},
    features: vectorsToProto(body.features ?? {}),
    text: body.text,
    taxonomyLabels: labelsToProto(body.taxonomy_labels ?? []),
    acl: body._acl === undefined ? undefined : aclToProto(body._acl),
  };
}

const updateBody = z
  .strictObject({
    metadata: metadataSchema.optional().describe("Replaces the whole metadata object"),
    features: featureVectorsSchema.optional().describe("Replaces every vector: URIs left out are removed"),
    text: text.optional().describe("An empty string removes the text"),
    taxonomy_labels: taxonomyLabelsSchema.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Give at least one field" });

export const includeFeaturesQuery = z
  .enum(["true", "false"])
  .optional()
  .describe("true returns the vectors in `features`");

const collectionParams = identifierParams("Collection");
const documentParams = collectionParams.extend({ doc: z.string().min(1).describe("Document id") });
const TAGS = ["Documents"];

export function registerDocumentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;
  const client = backends.document;

  typed.post(
    "/v1/collections/:id/documents",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "createDocument",
        summary: "Create a document",
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        params: collectionParams,
        body: createDocumentBody,
        response: { 201: documentSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      createInNamespace(request, reply, deps, 201, async (scope, requestToken) => {
        const created = await client.createDocument(
          {
            namespaceId: scope.namespaceId,
            collectionIdentifier: request.params.id,
            ...documentToProto(request.body),
            requestToken,
          },
          scope.call,
        );
        return created.ok ? ok(documentView(created.value.document, false)) : created;
      }),
  );

  typed.get(
    "/v1/collections/:id/documents/:doc",
    {
      config: { access: "read" },
      schema: {
        tags: TAGS,
        operationId: "getDocument",
        summary: "Get a document",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: documentParams,
        querystring: z.strictObject({ include_features: includeFeaturesQuery }),
        response: { 200: documentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const includeFeatures = request.query.include_features === "true";
      const found = await client.getDocument(
        {
          namespaceId: scope.value.namespaceId,
          collectionIdentifier: request.params.id,
          documentId: request.params.doc,
          includeFeatures,
        },
        scope.value.call,
      );
      if (!found.ok) return sendAppError(request, reply, found.error);
      return documentView(found.value.document, includeFeatures);
    },
  );

  typed.patch(
    "/v1/collections/:id/documents/:doc",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "updateDocument",
        summary: "Replace some fields of a document (each given field as a whole)",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: documentParams,
        body: updateBody,
        response: { 200: documentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const body = request.body;
      const updated = await client.updateDocument(
        {
          namespaceId: scope.value.namespaceId,
          collectionIdentifier: request.params.id,
          documentId: request.params.doc,
          metadata: body.metadata,
          features: body.features === undefined ? undefined : { vectors: vectorsToProto(body.features) },
          text: body.text,
          taxonomyLabels:
            body.taxonomy_labels === undefined ? undefined : { labels: labelsToProto(body.taxonomy_labels) },
          includeFeatures: false,
        },
        scope.value.call,
      );
      if (!updated.ok) return sendAppError(request, reply, updated.error);
      return documentView(updated.value.document, false);
    },
  );

  typed.delete(
    "/v1/collections/:id/documents/:doc",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "deleteDocument",
        summary: "Delete a document",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: documentParams,
        response: { 200: documentSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const deleted = await client.deleteDocument(
          {
            namespaceId: scope.namespaceId,
            collectionIdentifier: request.params.id,
            documentId: request.params.doc,
          },
          scope.call,
        );
        return deleted.ok ? ok(documentView(deleted.value.document, false)) : deleted;
      }),
  );
}
