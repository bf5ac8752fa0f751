import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import { DATA_LIST_LIMIT_DEFAULT } from "../../../shared/namespace-scope.js";
import type { BucketPorts } from "../ports.js";
import { listObjects } from "../read-objects.js";
import { objectToProto } from "./bucket-mapping.js";

export function listObjectsHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.ListObjectsRequest, bucketV1.ListObjectsResponse> {
  return async (request, { caller }) => {
    const result = await listObjects(ports, caller, request.namespaceId, request.bucket, {
      prefix: request.prefix,
      limit: request.limit === 0 ? DATA_LIST_LIMIT_DEFAULT : request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    if (!result.ok) return result;
    return ok({
      objects: result.value.objects.map(objectToProto),
      nextCursor: result.value.nextCursor ?? "",
    });
  };
}
