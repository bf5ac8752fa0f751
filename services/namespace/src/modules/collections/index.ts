import { unaryWithCaller } from "@strata/grpc";
import { collectionV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { cleanUpClonedCollections, cloneCollections } from "./clone.js";
import { createCollectionHandler } from "./handlers/create-collection.js";
import { createCollectionsHandler } from "./handlers/create-collections.js";
import { deleteCollectionHandler } from "./handlers/delete-collection.js";
import { getCollectionHandler } from "./handlers/get-collection.js";
import { listCollectionsHandler } from "./handlers/list-collections.js";
import { updateCollectionHandler } from "./handlers/update-collection.js";
import type { CollectionPorts } from "./ports.js";
import { purgeCollections } from "./purge.js";
import { COLLECTION_TABLE_SPECS } from "./tables.js";

export const COLLECTION_SERVICE_NAME = "strata.namespace.v1.CollectionService";

/** Collections: declared features, a metadata schema and indexed fields; deleting one removes its documents. */
export const collectionsModule: NamespaceModule<CollectionPorts> = {
  name: "collections",
  tables: COLLECTION_TABLE_SPECS,
  clone: cloneCollections,
  cloneCleanUp: cleanUpClonedCollections,
  services: (ports) => [
    {
      name: COLLECTION_SERVICE_NAME,
      definition: collectionV1.CollectionServiceService,
      implementation: {
        createCollection: unaryWithCaller(createCollectionHandler(ports)),
        createCollections: unaryWithCaller(createCollectionsHandler(ports)),
        getCollection: unaryWithCaller(getCollectionHandler(ports)),
        listCollections: unaryWithCaller(listCollectionsHandler(ports)),
        updateCollection: unaryWithCaller(updateCollectionHandler(ports)),
        deleteCollection: unaryWithCaller(deleteCollectionHandler(ports)),
      } satisfies collectionV1.CollectionServiceServer,
    },
  ],
  purge: purgeCollections,
};
