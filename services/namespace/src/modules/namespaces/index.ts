import { unaryWithCaller } from "@strata/grpc";
import { namespaceV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { createNamespaceHandler } from "./handlers/create-namespace.js";
import { deleteNamespaceHandler } from "./handlers/delete-namespace.js";
import { getNamespaceHandler } from "./handlers/get-namespace.js";
import { listNamespacesHandler } from "./handlers/list-namespaces.js";
import { updateNamespaceHandler } from "./handlers/update-namespace.js";
import type { NamespacePorts } from "./ports.js";
import { NAMESPACE_TABLE_SPECS } from "./tables.js";

export const NAMESPACE_SERVICE_NAME = "strata.namespace.v1.NamespaceService";

/**
 * Namespaces: create, read, rename and delete them. Deleting one answers at once; the purge that
 * follows (consumers/namespace-deleted.ts → purge-namespace.ts) asks every module for its part.
 */
export const namespacesModule: NamespaceModule<NamespacePorts> = {
  name: "namespaces",
  tables: NAMESPACE_TABLE_SPECS,
  services: (ports) => [
    {
      name: NAMESPACE_SERVICE_NAME,
      definition: namespaceV1.NamespaceServiceService,
      implementation: {
        createNamespace: unaryWithCaller(createNamespaceHandler(ports)),
        getNamespace: unaryWithCaller(getNamespaceHandler(ports)),
        listNamespaces: unaryWithCaller(listNamespacesHandler(ports)),
        updateNamespace: unaryWithCaller(updateNamespaceHandler(ports)),
        deleteNamespace: unaryWithCaller(deleteNamespaceHandler(ports)),
      } satisfies namespaceV1.NamespaceServiceServer,
    },
  ],
};
