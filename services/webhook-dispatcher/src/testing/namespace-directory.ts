// Test support: the one namespace-service call the dispatcher makes (GetNamespace, to ask whether a
// namespace exists), answered from a set in memory and served over real gRPC.
import { err, notFound, ok } from "@strata/errors";
import { type RunningGrpcServer, startGrpcServer, unaryWithCaller } from "@strata/grpc";
import { newId } from "@strata/ids";
import { createLogger } from "@strata/logger";
import { namespaceV1 } from "@strata/proto";

export class NamespaceDirectory {
  private readonly owners = new Map<string, string>();

  /** A namespace of the organization, as the namespace service would hold it. */
  add(organizationId: string): string {
    const id = newId("namespace");
    this.owners.set(id, organizationId);
    return id;
  }

  serve(internalToken: string): Promise<RunningGrpcServer> {
    const namespaces: Partial<namespaceV1.NamespaceServiceServer> = {
      getNamespace: unaryWithCaller(async (request: namespaceV1.GetNamespaceRequest, { caller }) => {
        if (this.owners.get(request.identifier) !== caller.organizationId) {
          return err(notFound("namespace", request.identifier));
        }
        const now = new Date();
        return ok({
          namespace: {
            namespaceId: request.identifier,
            organizationId: caller.organizationId,
            namespaceName: request.identifier,
            description: "",
            createdAt: now,
            updatedAt: now,
          },
        });
      }),
    };
    return startGrpcServer({
      serviceName: "namespace-directory",
      host: "127.0.0.1",
      port: 0,
      internalToken,
      logger: createLogger({ service: "namespace-directory", level: "silent" }),
      services: [
        {
          name: "strata.namespace.v1.NamespaceService",
          definition: namespaceV1.NamespaceServiceService,
          implementation: namespaces as namespaceV1.NamespaceServiceServer,
        },
      ],
    });
  }
}
