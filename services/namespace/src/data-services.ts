import type { GrpcServiceRegistration } from "@strata/grpc";
import { clientStreamWithCaller, serverStreamWithCaller, unaryWithCaller } from "@strata/grpc";
import { batchV1, bucketV1, collectionV1, documentV1, searchV1, taxonomyV1 } from "@strata/proto";
import type { DataPorts } from "./domain/data-ports.js";
import { createBatchHandler } from "./modules/batches/handlers/create-batch.js";
import { getBatchHandler } from "./modules/batches/handlers/get-batch.js";
import type { BatchPorts } from "./modules/batches/ports.js";
import { createBucketHandler } from "./modules/buckets/handlers/create-bucket.js";
import { deleteBucketHandler } from "./modules/buckets/handlers/delete-bucket.js";
import { deleteObjectHandler } from "./modules/buckets/handlers/delete-object.js";
import { getBucketHandler } from "./modules/buckets/handlers/get-bucket.js";
import { getObjectHandler } from "./modules/buckets/handlers/get-object.js";
import { headObjectHandler } from "./modules/buckets/handlers/head-object.js";
import { listBucketsHandler } from "./modules/buckets/handlers/list-buckets.js";
import { listObjectsHandler } from "./modules/buckets/handlers/list-objects.js";
import { putObjectHandler } from "./modules/buckets/handlers/put-object.js";
import type { BucketPorts } from "./modules/buckets/ports.js";
import { createCollectionHandler } from "./modules/collections/handlers/create-collection.js";
import { deleteCollectionHandler } from "./modules/collections/handlers/delete-collection.js";
import { getCollectionHandler } from "./modules/collections/handlers/get-collection.js";
import { listCollectionsHandler } from "./modules/collections/handlers/list-collections.js";
import { updateCollectionHandler } from "./modules/collections/handlers/update-collection.js";
import { createDocumentHandler } from "./modules/documents/handlers/create-document.js";
import { deleteDocumentHandler } from "./modules/documents/handlers/delete-document.js";
import { getDocumentHandler } from "./modules/documents/handlers/get-document.js";
import { listDocumentsHandler } from "./modules/documents/handlers/list-documents.js";
import { updateDocumentHandler } from "./modules/documents/handlers/update-document.js";
import { searchDocumentsHandler } from "./modules/search/handlers/search-documents.js";
import { createTaxonomyHandler } from "./modules/taxonomies/handlers/create-taxonomy.js";
import { deleteTaxonomyHandler } from "./modules/taxonomies/handlers/delete-taxonomy.js";
import { getTaxonomyHandler } from "./modules/taxonomies/handlers/get-taxonomy.js";
import { listTaxonomiesHandler } from "./modules/taxonomies/handlers/list-taxonomies.js";
import { updateTaxonomyHandler } from "./modules/taxonomies/handlers/update-taxonomy.js";

export const COLLECTION_SERVICE_NAME = "strata.namespace.v1.CollectionService";
export const DOCUMENT_SERVICE_NAME = "strata.namespace.v1.DocumentService";
export const TAXONOMY_SERVICE_NAME = "strata.namespace.v1.TaxonomyService";
export const BATCH_SERVICE_NAME = "strata.namespace.v1.BatchService";
export const SEARCH_SERVICE_NAME = "strata.namespace.v1.SearchService";

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

export function buildSearchService(ports: DataPorts): searchV1.SearchServiceServer {
  return { searchDocuments: unaryWithCaller(searchDocumentsHandler(ports)) };
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
      name: SEARCH_SERVICE_NAME,
      definition: searchV1.SearchServiceService,
      implementation: buildSearchService(ports),
    },
    {
      name: BATCH_SERVICE_NAME,
      definition: batchV1.BatchServiceService,
      implementation: buildBatchService(ports),
    },
  ];
}

export const BUCKET_SERVICE_NAME = "strata.namespace.v1.BucketService";

export function buildBucketService(ports: BucketPorts): bucketV1.BucketServiceServer {
  return {
    createBucket: unaryWithCaller(createBucketHandler(ports)),
    getBucket: unaryWithCaller(getBucketHandler(ports)),
    listBuckets: unaryWithCaller(listBucketsHandler(ports)),
    deleteBucket: unaryWithCaller(deleteBucketHandler(ports)),
    putObject: clientStreamWithCaller(putObjectHandler(ports)),
    getObject: serverStreamWithCaller(getObjectHandler(ports)),
    headObject: unaryWithCaller(headObjectHandler(ports)),
    listObjects: unaryWithCaller(listObjectsHandler(ports)),
    deleteObject: unaryWithCaller(deleteObjectHandler(ports)),
  };
}

/** Buckets and objects: they need the ObjectStore, which the other data services do not. */
export function bucketServiceRegistration(ports: BucketPorts): GrpcServiceRegistration {
  return {
    name: BUCKET_SERVICE_NAME,
    definition: bucketV1.BucketServiceService,
    implementation: buildBucketService(ports),
  };
}
