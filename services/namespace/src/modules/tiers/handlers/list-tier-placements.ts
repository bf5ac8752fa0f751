import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import { tierFromProto, tierToProto, type tierV1 } from "@strata/proto";
import type { TierPorts } from "../ports.js";
import { listTierPlacements } from "../tier-placements.js";

export function listTierPlacementsHandler(
  ports: TierPorts,
): UnaryHandlerWithCaller<tierV1.ListTierPlacementsRequest, tierV1.ListTierPlacementsResponse> {
  return async (request, { caller }) => {
    const result = await listTierPlacements(ports, caller, request.namespaceId, {
      tier: request.tier === undefined ? undefined : tierFromProto(request.tier),
      pageSize: request.pageSize,
      pageToken: request.pageToken,
    });
    if (!result.ok) return result;
    return ok({
      placements: result.value.placements.map((p) => ({
        collectionId: p.collectionId,
        documentId: p.documentId,
        tier: tierToProto(p.tier),
        tierChangedAt: new Date(p.tierChangedAt),
        createdAt: new Date(p.createdAt),
      })),
      nextPageToken: result.value.nextPageToken,
    });
  };
}
