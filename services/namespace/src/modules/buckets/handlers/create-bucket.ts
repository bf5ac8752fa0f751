import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import { createBucket } from "../create-bucket.js";
import type { BucketPorts } from "../ports.js";
import { bucketToProto } from "./bucket-mapping.js";

export function createBucketHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.CreateBucketRequest, bucketV1.CreateBucketResponse> {
  return async (request, { caller }) => {
    const result = await createBucket(ports, caller, request.namespaceId, {
      bucketName: request.bucketName,
      description: request.description,
    });
    return result.ok ? ok({ bucket: bucketToProto(result.value) }) : result;
  };
}
