import { type GrpcServiceRegistration, unaryWithCaller } from "@strata/grpc";
import { namespaceV1 } from "@strata/proto";
import { dataServiceRegistrations } from "./data-services.js";
import type { BatchPorts } from "./modules/batches/ports.js";
import { createNamespaceHandler } from "./modules/namespaces/handlers/create-namespace.js";
import { deleteNamespaceHandler } from "./modules/namespaces/handlers/delete-namespace.js";
import { getNamespaceHandler } from "./modules/namespaces/handlers/get-namespace.js";
import { listNamespacesHandler } from "./modules/namespaces/handlers/list-namespaces.js";
import { updateNamespaceHandler } from "./modules/namespaces/handlers/update-namespace.js";
import type { NamespacePorts } from "./shared/ports.js";

export const NAMESPACE_SERVICE_NAME = "strata.namespace.v1.NamespaceService";

export function buildNamespaceService(ports: NamespacePorts): namespaceV1.NamespaceServiceServer {
  return {
    createNamespace: unaryWithCaller(createNamespaceHandler(ports)),
    getNamespace: unaryWithCaller(getNamespaceHandler(ports)),
    listNamespaces: unaryWithCaller(listNamespacesHandler(ports)),
    updateNamespace: unaryWithCaller(updateNamespaceHandler(ports)),
    deleteNamespace: unaryWithCaller(deleteNamespaceHandler(ports)),
  };
}

/** What the namespace gRPC server serves (grpc.health.v1 is added by startGrpcServer). */
export function namespaceGrpcServices(ports: BatchPorts): GrpcServiceRegistration[] {
  return [
    {
      name: NAMESPACE_SERVICE_NAME,
      definition: namespaceV1.NamespaceServiceService,
      implementation: buildNamespaceService(ports),
    },
    ...dataServiceRegistrations(ports),
  ];
}
