import { TIERS } from "@strata/contracts";
import {
  type AppError,
  appError,
  conflict,
  err,
  notFound,
  ok,
  type Result,
  validationFailed,
} from "@strata/errors";
import { tierFromProto, tierToProto, tierV1 } from "@strata/proto";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { inNamespace } from "./scoped-call.js";

const params = z.object({
  id: z.string().min(1).describe("Collection id or name"),
  doc: z.string().min(1).describe("Document id"),
});

const body = z.strictObject({
  tier: z.enum(TIERS).describe("hot, warm, cold, or archive (vectors deleted, metadata and lineage kept)"),
});

const moveSchema = z
  .object({
    document_id: z.string(),
    collection_id: z.string(),
    from_tier: z.enum(TIERS),
    tier: z.enum(TIERS).describe("The document's tier now"),
    moved: z.boolean().describe("False when the document was already in that tier"),
  })
  .meta({ id: "DocumentTierMove" });

type MoveView = z.infer<typeof moveSchema>;

/**
 * POST …/tier: moves one document to a storage tier now (ADR 0023), through the namespace
 * service's TierService: copy, verify, switch its tier pointer, delete the source copy.
 */
export function registerDocumentTierRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    "/v1/collections/:id/documents/:doc/tier",
    {
      config: { access: "write" },
      schema: {
        operationId: "moveDocumentTier",
        tags: ["Documents"],
        summary: "Move a document to a storage tier",
        description:
          "Copies the document's vectors to the tier, verifies them, switches the document's tier and deletes the old copy. " +
          "Moving to archive deletes its vectors from every tier and keeps its metadata and lineage; an archived document " +
          "cannot be moved (422): write its features again. A document the caller cannot see answers 404, as a missing one does.",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body,
        response: { 200: moveSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        // The document service resolves the collection by id or name and applies the caller's ACL.
        const found = await deps.backends.document.getDocument(
          {
            namespaceId: scope.namespaceId,
            collectionIdentifier: request.params.id,
            documentId: request.params.doc,
            includeFeatures: false,
          },
          scope.call,
        );
        if (!found.ok) return found;
        const collectionId = found.value.document?.collectionId ?? "";
        const moved = await deps.backends.tier.moveDocuments(
          {
            namespaceId: scope.namespaceId,
            moves: [
              { collectionId, documentId: request.params.doc, targetTier: tierToProto(request.body.tier) },
            ],
            reason: tierV1.MoveReason.MOVE_REASON_MANUAL,
          },
          scope.call,
        );
        if (!moved.ok) return moved;
        const [result] = moved.value.results;
        return result === undefined
          ? err(appError("internal", "The move answered no result"))
          : moveAnswer(result);
      }),
  );
}

function moveAnswer(result: tierV1.MoveResult): Result<MoveView, AppError> {
  const from = tierFromProto(result.fromTier);
  const to = tierFromProto(result.toTier);
  const view = (moved: boolean): Result<MoveView, AppError> =>
    from === undefined || to === undefined
      ? err(appError("internal", "The move answered an unknown tier"))
      : ok({
          document_id: result.documentId,
          collection_id: result.collectionId,
          from_tier: from,
          tier: moved ? to : from,
          moved,
        });
  switch (result.outcome) {
    case tierV1.MoveOutcome.MOVE_OUTCOME_MOVED:
      return view(true);
    case tierV1.MoveOutcome.MOVE_OUTCOME_UNCHANGED:
      return view(false);
    case tierV1.MoveOutcome.MOVE_OUTCOME_NOT_FOUND:
      return err(notFound("document", result.documentId));
    case tierV1.MoveOutcome.MOVE_OUTCOME_CONFLICT:
      return err(conflict(`The document changed while it moved; nothing moved. ${result.message}`));
    case tierV1.MoveOutcome.MOVE_OUTCOME_REFUSED:
      return err(
        validationFailed(
          [{ location: "body.tier", message: result.message, type: "tier_refused" }],
          result.message,
        ),
      );
    default:
      return err(appError("unavailable", `The move failed and may be retried: ${result.message}`));
  }
}
