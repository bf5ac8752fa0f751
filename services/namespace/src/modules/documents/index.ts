import { unaryWithCaller } from "@strata/grpc";
import { documentV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { cleanUpClonedDocuments, cloneDocuments } from "./clone.js";
import { createDocumentHandler } from "./handlers/create-document.js";
import { deleteDocumentHandler } from "./handlers/delete-document.js";
import { getDocumentHandler } from "./handlers/get-document.js";
import { listDocumentsHandler } from "./handlers/list-documents.js";
import { updateDocumentHandler } from "./handlers/update-document.js";
import type { DocumentPorts } from "./ports.js";
import { DOCUMENT_TABLE_SPECS } from "./tables.js";

export const DOCUMENT_SERVICE_NAME = "strata.namespace.v1.DocumentService";

/**
 * Documents of a collection and their vectors. No purge step of its own: every document belongs
 * to a collection, and the collections' purge removes them with their collection (through
 * api.ts), each with its document.deleted event and its label index rows.
 */
export const documentsModule: NamespaceModule<DocumentPorts> = {
  name: "documents",
  tables: DOCUMENT_TABLE_SPECS,
  clone: () => cloneDocuments(),
  cloneCleanUp: cleanUpClonedDocuments,
  services: (ports) => [
    {
      name: DOCUMENT_SERVICE_NAME,
      definition: documentV1.DocumentServiceService,
      implementation: {
        createDocument: unaryWithCaller(createDocumentHandler(ports)),
        getDocument: unaryWithCaller(getDocumentHandler(ports)),
        updateDocument: unaryWithCaller(updateDocumentHandler(ports)),
        deleteDocument: unaryWithCaller(deleteDocumentHandler(ports)),
        listDocuments: unaryWithCaller(listDocumentsHandler(ports)),
      } satisfies documentV1.DocumentServiceServer,
    },
  ],
};
