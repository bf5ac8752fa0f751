import { MAX_CREATE_BATCH } from "@strata/contracts";
import { ok } from "@strata/errors";
import { checkBatchItems, itemErrorJson, type UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import { createBuckets } from "../create-bucket.js";
import type { BucketPorts } from "../ports.js";
import { bucketToProto } from "./bucket-mapping.js";

export function createBucketsHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.CreateBucketsRequest, bucketV1.CreateBucketsResponse> {
  return async (request, { caller }) => {
    const sameNamespace = checkBatchItems(request.namespaceId, request.buckets, MAX_CREATE_BATCH);
    if (!sameNamespace.ok) return sameNamespace;
    const created = await createBuckets(
      ports,
      caller,
      request.namespaceId,
      request.buckets.map((item) => ({ bucketName: item.bucketName, description: item.description })),
    );
    if (!created.ok) return created;
    return ok({
      results: created.value.map((result) =>
        result.ok
          ? { bucket: bucketToProto(result.value), error: "" }
          : { error: itemErrorJson(result.error) },
      ),
    });
  };
}
