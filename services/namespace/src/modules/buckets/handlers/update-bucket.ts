import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import type { BucketPorts } from "../ports.js";
import { updateBucket } from "../update-bucket.js";
import { bucketToProto } from "./bucket-mapping.js";

export function updateBucketHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.UpdateBucketRequest, bucketV1.UpdateBucketResponse> {
  return async (request, { caller }) => {
    const result = await updateBucket(ports, caller, request.namespaceId, request.identifier, {
      description: request.description,
    });
    return result.ok ? ok({ bucket: bucketToProto(result.value) }) : result;
  };
}
