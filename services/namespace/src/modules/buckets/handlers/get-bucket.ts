import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import type { BucketPorts } from "../ports.js";
import { getBucket } from "../read-buckets.js";
import { bucketToProto } from "./bucket-mapping.js";

export function getBucketHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.GetBucketRequest, bucketV1.GetBucketResponse> {
  return async (request, { caller }) => {
    const result = await getBucket(ports, caller, request.namespaceId, request.identifier);
    return result.ok ? ok({ bucket: bucketToProto(result.value) }) : result;
  };
}
