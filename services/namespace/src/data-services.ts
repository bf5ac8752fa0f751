import type { GrpcServiceRegistration } from "@strata/grpc";
import { unaryWithCaller } from "@strata/grpc";
import { batchV1, collectionV1, documentV1, taxonomyV1 } from "@strata/proto";
import type { BatchPorts } from "./domain/batches/batch-ports.js";
import type { DataPorts } from "./domain/data-ports.js";
import { createBatchHandler } from "./handlers/batches/create-batch.js";
import { getBatchHandler } from "./handlers/batches/get-batch.js";
import { createCollectionHandler } from "./handlers/collections/create-collection.js";
import { deleteCollectionHandler } from "./handlers/collections/delete-collection.js";
import { getCollectionHandler } from "./handlers/collections/get-collection.js";
import { listCollectionsHandler } from "./handlers/collections/list-collections.js";
import { updateCollectionHandler } from "./handlers/collections/update-collection.js";
import { createDocumentHandler } from "./handlers/documents/create-document.js";
import { deleteDocumentHandler } from "./handlers/documents/delete-document.js";
import { getDocumentHandler } from "./handlers/documents/get-document.js";
import { listDocumentsHandler } from "./handlers/documents/list-documents.js";
import { updateDocumentHandler } from "./handlers/documents/update-document.js";
import { createTaxonomyHandler } from "./handlers/taxonomies/create-taxonomy.js";
import { deleteTaxonomyHandler } from "./handlers/taxonomies/delete-taxonomy.js";
import { getTaxonomyHandler } from "./handlers/taxonomies/get-taxonomy.js";
import { listTaxonomiesHandler } from "./handlers/taxonomies/list-taxonomies.js";
import { updateTaxonomyHandler } from "./handlers/taxonomies/update-taxonomy.js";

export const COLLECTION_SERVICE_NAME = "strata.namespace.v1.CollectionService";
export const DOCUMENT_SERVICE_NAME = "strata.namespace.v1.DocumentService";
export const TAXONOMY_SERVICE_NAME = "strata.namespace.v1.TaxonomyService";
export const BATCH_SERVICE_NAME = "strata.namespace.v1.BatchService";

export function buildCollectionService(ports: DataPorts): collectionV1.CollectionServiceServer {
  return {
    createCollection: unaryWithCaller(createCollectionHandler(ports)),
    getCollection: unaryWithCaller(getCollectionHandler(ports)),
    listCollections: unaryWithCaller(listCollectionsHandler(ports)),
    updateCollection: unaryWithCaller(updateCollectionHandler(ports)),
    deleteCollection: unaryWithCaller(deleteCollectionHandler(ports)),
  };
}

export function buildDocumentService(ports: DataPorts): documentV1.DocumentServiceServer {
  return {
    createDocument: unaryWithCaller(createDocumentHandler(ports)),
    getDocument: unaryWithCaller(getDocumentHandler(ports)),
    updateDocument: unaryWithCaller(updateDocumentHandler(ports)),
    deleteDocument: unaryWithCaller(deleteDocumentHandler(ports)),
    listDocuments: unaryWithCaller(listDocumentsHandler(ports)),
  };
}

export function buildTaxonomyService(ports: DataPorts): taxonomyV1.TaxonomyServiceServer {
  return {
    createTaxonomy: unaryWithCaller(createTaxonomyHandler(ports)),
    getTaxonomy: unaryWithCaller(getTaxonomyHandler(ports)),
    listTaxonomies: unaryWithCaller(listTaxonomiesHandler(ports)),
    updateTaxonomy: unaryWithCaller(updateTaxonomyHandler(ports)),
    deleteTaxonomy: unaryWithCaller(deleteTaxonomyHandler(ports)),
  };
}

export function buildBatchService(ports: BatchPorts): batchV1.BatchServiceServer {
  return {
    createBatch: unaryWithCaller(createBatchHandler(ports)),
    getBatch: unaryWithCaller(getBatchHandler(ports)),
  };
}

/** The collection, document, taxonomy and batch services, served next to NamespaceService. */
export function dataServiceRegistrations(ports: BatchPorts): GrpcServiceRegistration[] {
  return [
    {
      name: COLLECTION_SERVICE_NAME,
      definition: collectionV1.CollectionServiceService,
      implementation: buildCollectionService(ports),
    },
    {
      name: DOCUMENT_SERVICE_NAME,
      definition: documentV1.DocumentServiceService,
      implementation: buildDocumentService(ports),
    },
    {
      name: TAXONOMY_SERVICE_NAME,
      definition: taxonomyV1.TaxonomyServiceService,
      implementation: buildTaxonomyService(ports),
    },
    {
      name: BATCH_SERVICE_NAME,
      definition: batchV1.BatchServiceService,
      implementation: buildBatchService(ports),
    },
  ];
}
