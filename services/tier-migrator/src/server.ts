import { type GrpcServiceRegistration, unaryWithCaller } from "@strata/grpc";
import { tieringV1 } from "@strata/proto";
import type { TieringPorts } from "./domain/ports.js";
import type { SweepRunner } from "./domain/sweep-runner.js";
import { tieringHandlers } from "./handlers/tiering-handlers.js";

export const TIERING_SERVICE_NAME = "strata.tiering.v1.TieringService";

/** What tier-migrator's gRPC server serves (grpc.health.v1 is added by startGrpcServer). */
export function tieringGrpcServices(ports: TieringPorts, runner: SweepRunner): GrpcServiceRegistration[] {
  const h = tieringHandlers(ports, runner);
  const implementation: tieringV1.TieringServiceServer = {
    getPolicy: unaryWithCaller(h.get),
    setPolicy: unaryWithCaller(h.set),
    runSweep: unaryWithCaller(h.sweep),
    getSweepJob: unaryWithCaller(h.job),
    getTierStats: unaryWithCaller(h.stats),
  };
  return [{ name: TIERING_SERVICE_NAME, definition: tieringV1.TieringServiceService, implementation }];
}
