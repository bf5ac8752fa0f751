import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import { tierToProto, type tierV1 } from "@strata/proto";
import type { TierPorts } from "../ports.js";
import { tierStats } from "../tier-stats.js";

export function getTierStatsHandler(
  ports: TierPorts,
): UnaryHandlerWithCaller<tierV1.GetTierStatsRequest, tierV1.GetTierStatsResponse> {
  return async (request, { caller }) => {
    const result = await tierStats(ports, caller, request.namespaceId);
    if (!result.ok) return result;
    return ok({
      stats: result.value.map((s) => ({
        collectionId: s.collectionId,
        tier: tierToProto(s.tier),
        documents: s.documents,
        vectorBytes: s.vectorBytes,
      })),
    });
  };
}
