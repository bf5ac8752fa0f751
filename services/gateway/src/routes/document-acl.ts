import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import { aclInputSchema, aclToProto, documentSchema, documentView } from "./document-view.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { inNamespace } from "./scoped-call.js";

const params = z.object({
  id: z.string().min(1).describe("Collection id or name"),
  doc: z.string().min(1).describe("Document id"),
});

/** PUT …/acl: replaces a document's `_acl` whole; its owner or an org key only (ADR 0018). */
export function registerDocumentAclRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.put(
    "/v1/collections/:id/documents/:doc/acl",
    {
      config: { access: "write" },
      schema: {
        operationId: "replaceDocumentAcl",
        tags: ["Documents"],
        summary: "Replace a document's ACL",
        description:
          "Only the document's owner or an organization key may. A document the caller cannot see answers 404, as a missing one does.",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: aclInputSchema,
        response: { 200: documentSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const updated = await deps.backends.document.updateDocument(
          {
            namespaceId: scope.namespaceId,
            collectionIdentifier: request.params.id,
            documentId: request.params.doc,
            acl: aclToProto(request.body),
            includeFeatures: false,
          },
          scope.call,
        );
        return updated.ok ? ok(documentView(updated.value.document, false)) : updated;
      }),
  );
}
