import { err, ok, validationFailed } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import { tierFromProto, tierToProto, tierV1 } from "@strata/proto";
import type { MoveReason } from "../../documents/tables.js";
import { moveDocuments } from "../move-documents.js";
import type { MoveOutcome } from "../move-plan.js";
import type { TierPorts } from "../ports.js";

const REASONS: Record<number, MoveReason> = {
  [tierV1.MoveReason.MOVE_REASON_MANUAL]: "manual",
  [tierV1.MoveReason.MOVE_REASON_POLICY]: "policy",
  [tierV1.MoveReason.MOVE_REASON_ACCESS]: "access",
  [tierV1.MoveReason.MOVE_REASON_READ]: "read",
};

const OUTCOMES: Record<MoveOutcome, tierV1.MoveOutcome> = {
  moved: tierV1.MoveOutcome.MOVE_OUTCOME_MOVED,
  unchanged: tierV1.MoveOutcome.MOVE_OUTCOME_UNCHANGED,
  not_found: tierV1.MoveOutcome.MOVE_OUTCOME_NOT_FOUND,
  conflict: tierV1.MoveOutcome.MOVE_OUTCOME_CONFLICT,
  refused: tierV1.MoveOutcome.MOVE_OUTCOME_REFUSED,
  failed: tierV1.MoveOutcome.MOVE_OUTCOME_FAILED,
};

export function moveDocumentsHandler(
  ports: TierPorts,
): UnaryHandlerWithCaller<tierV1.MoveDocumentsRequest, tierV1.MoveDocumentsResponse> {
  return async (request, { caller }) => {
    const requests = request.moves.flatMap((m) => {
      const targetTier = tierFromProto(m.targetTier);
      if (targetTier === undefined) return [];
      return [
        {
          collectionId: m.collectionId,
          documentId: m.documentId,
          targetTier,
          expectedTier: m.expectedTier === undefined ? undefined : tierFromProto(m.expectedTier),
        },
      ];
    });
    if (requests.length !== request.moves.length) {
      return err(
        validationFailed([
          {
            location: "moves.target_tier",
            message: "name one of hot, warm, cold, archive",
            type: "invalid_tier",
          },
        ]),
      );
    }
    const result = await moveDocuments(
      ports,
      caller,
      request.namespaceId,
      requests,
      REASONS[request.reason] ?? "manual",
    );
    if (!result.ok) return result;
    return ok({
      results: result.value.map((r) => ({
        collectionId: r.collectionId,
        documentId: r.documentId,
        outcome: OUTCOMES[r.outcome],
        fromTier: r.fromTier === undefined ? 0 : tierToProto(r.fromTier),
        toTier: tierToProto(r.toTier),
        message: r.message,
      })),
    });
  };
}
