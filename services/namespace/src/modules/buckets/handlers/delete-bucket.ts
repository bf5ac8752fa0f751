import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import { deleteBucket } from "../delete-bucket.js";
import type { BucketPorts } from "../ports.js";
import { bucketToProto } from "./bucket-mapping.js";

export function deleteBucketHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.DeleteBucketRequest, bucketV1.DeleteBucketResponse> {
  return async (request, { caller }) => {
    const result = await deleteBucket(ports, caller, request.namespaceId, request.identifier);
    return result.ok ? ok({ bucket: bucketToProto(result.value) }) : result;
  };
}
