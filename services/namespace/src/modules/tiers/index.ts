import { unaryWithCaller } from "@strata/grpc";
import { tierV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { cleanUpTierCopies, cloneTierCopies } from "./clone.js";
import { listTierPlacementsHandler } from "./handlers/list-tier-placements.js";
import { moveDocumentsHandler } from "./handlers/move-documents.js";
import { getTierStatsHandler } from "./handlers/tier-stats.js";
import type { TierPorts } from "./ports.js";
import { purgeTierVectors } from "./purge.js";
import { TIER_TABLE_SPECS } from "./tables.js";

export const TIER_SERVICE_NAME = "strata.namespace.v1.TierService";

/** Documents' tiers (ADR 0023): moves between them, their statistics and placements. */
export const tiersModule: NamespaceModule<TierPorts> = {
  name: "tiers",
  tables: TIER_TABLE_SPECS,
  services: (ports) => [
    {
      name: TIER_SERVICE_NAME,
      definition: tierV1.TierServiceService,
      implementation: {
        moveDocuments: unaryWithCaller(moveDocumentsHandler(ports)),
        getTierStats: unaryWithCaller(getTierStatsHandler(ports)),
        listTierPlacements: unaryWithCaller(listTierPlacementsHandler(ports)),
      } satisfies tierV1.TierServiceServer,
    },
  ],
  purge: (ports) => purgeTierVectors(ports),
  clone: cloneTierCopies,
  cloneCleanUp: cleanUpTierCopies,
};
