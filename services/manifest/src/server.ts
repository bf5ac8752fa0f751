import { type GrpcServiceRegistration, unaryWithCaller } from "@strata/grpc";
import { manifestV1 } from "@strata/proto";
import type { ManifestPorts } from "./domain/ports.js";
import { manifestHandlers } from "./handlers/manifest-handlers.js";

export const MANIFEST_SERVICE_NAME = "strata.manifest.v1.ManifestService";

export function buildManifestService(ports: ManifestPorts): manifestV1.ManifestServiceServer {
  const h = manifestHandlers(ports);
  return {
    exportManifest: unaryWithCaller(h.exportManifest),
    diffManifest: unaryWithCaller(h.diffManifest),
    applyManifest: unaryWithCaller(h.applyManifest),
  };
}

/** What the manifest service's gRPC server serves (grpc.health.v1 is added by startGrpcServer). */
export function manifestGrpcServices(ports: ManifestPorts): GrpcServiceRegistration[] {
  return [
    {
      name: MANIFEST_SERVICE_NAME,
      definition: manifestV1.ManifestServiceService,
      implementation: buildManifestService(ports),
    },
  ];
}
