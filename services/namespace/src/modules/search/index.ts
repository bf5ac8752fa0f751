import { unaryWithCaller } from "@strata/grpc";
import { searchV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { searchDocumentsHandler } from "./handlers/search-documents.js";
import type { SearchPorts } from "./ports.js";
import { purgeVectorSpaces } from "./purge.js";

export const SEARCH_SERVICE_NAME = "strata.namespace.v1.SearchService";

/** Search over the hot tier (ADR 0006). It owns no table: it reads collections and documents. */
export const searchModule: NamespaceModule<SearchPorts> = {
  name: "search",
  tables: [],
  services: (ports) => [
    {
      name: SEARCH_SERVICE_NAME,
      definition: searchV1.SearchServiceService,
      implementation: {
        searchDocuments: unaryWithCaller(searchDocumentsHandler(ports)),
      } satisfies searchV1.SearchServiceServer,
    },
  ],
  // Last in the registry's order: the namespace's documents are gone when its spaces are dropped.
  purge: (ports) => purgeVectorSpaces(ports.vectors),
  // A failed clone's vectors, staged or committed: every space of its namespace (ADR 0024).
  cloneCleanUp: (ports) => (namespaceId) => ports.vectors.dropNamespace(namespaceId),
};
