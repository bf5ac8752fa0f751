import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import type { BucketPorts } from "../ports.js";
import { headObject } from "../read-objects.js";
import { objectToProto } from "./bucket-mapping.js";

export function headObjectHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.HeadObjectRequest, bucketV1.HeadObjectResponse> {
  return async (request, { caller }) => {
    const result = await headObject(ports, caller, request.namespaceId, request.bucket, request.key);
    return result.ok ? ok({ object: objectToProto(result.value) }) : result;
  };
}
