import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import { deleteObject } from "../delete-object.js";
import type { BucketPorts } from "../ports.js";
import { objectToProto } from "./bucket-mapping.js";

export function deleteObjectHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.DeleteObjectRequest, bucketV1.DeleteObjectResponse> {
  return async (request, { caller }) => {
    const result = await deleteObject(ports, caller, request.namespaceId, request.bucket, request.key);
    return result.ok ? ok({ object: objectToProto(result.value) }) : result;
  };
}
