import { clientStreamWithCaller, serverStreamWithCaller, unaryWithCaller } from "@strata/grpc";
import { bucketV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { cleanUpBuckets, cloneBuckets } from "./clone.js";
import { createBucketHandler } from "./handlers/create-bucket.js";
import { createBucketsHandler } from "./handlers/create-buckets.js";
import { deleteBucketHandler } from "./handlers/delete-bucket.js";
import { deleteObjectHandler } from "./handlers/delete-object.js";
import { getBucketHandler } from "./handlers/get-bucket.js";
import { getObjectHandler } from "./handlers/get-object.js";
import { headObjectHandler } from "./handlers/head-object.js";
import { listBucketsHandler } from "./handlers/list-buckets.js";
import { listObjectsHandler } from "./handlers/list-objects.js";
import { putObjectHandler } from "./handlers/put-object.js";
import { updateBucketHandler } from "./handlers/update-bucket.js";
import type { BucketPorts } from "./ports.js";
import { purgeBuckets } from "./purge.js";
import { BUCKET_TABLE_SPECS } from "./tables.js";

export const BUCKET_SERVICE_NAME = "strata.namespace.v1.BucketService";

/** Buckets and their objects: records here, bytes in the object store (ADR 0008). */
export const bucketsModule: NamespaceModule<BucketPorts> = {
  name: "buckets",
  tables: BUCKET_TABLE_SPECS,
  clone: cloneBuckets,
  cloneCleanUp: cleanUpBuckets,
  services: (ports) => [
    {
      name: BUCKET_SERVICE_NAME,
      definition: bucketV1.BucketServiceService,
      implementation: {
        createBucket: unaryWithCaller(createBucketHandler(ports)),
        createBuckets: unaryWithCaller(createBucketsHandler(ports)),
        getBucket: unaryWithCaller(getBucketHandler(ports)),
        listBuckets: unaryWithCaller(listBucketsHandler(ports)),
        updateBucket: unaryWithCaller(updateBucketHandler(ports)),
        deleteBucket: unaryWithCaller(deleteBucketHandler(ports)),
        putObject: clientStreamWithCaller(putObjectHandler(ports)),
        getObject: serverStreamWithCaller(getObjectHandler(ports)),
        headObject: unaryWithCaller(headObjectHandler(ports)),
        listObjects: unaryWithCaller(listObjectsHandler(ports)),
        deleteObject: unaryWithCaller(deleteObjectHandler(ports)),
      } satisfies bucketV1.BucketServiceServer,
    },
  ],
  purge: purgeBuckets,
};
