import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import { DATA_LIST_LIMIT_DEFAULT } from "../../../shared/namespace-scope.js";
import type { BucketPorts } from "../ports.js";
import { listBuckets } from "../read-buckets.js";
import { bucketToProto } from "./bucket-mapping.js";

export function listBucketsHandler(
  ports: BucketPorts,
): UnaryHandlerWithCaller<bucketV1.ListBucketsRequest, bucketV1.ListBucketsResponse> {
  return async (request, { caller }) => {
    const result = await listBuckets(ports, caller, request.namespaceId, {
      limit: request.limit === 0 ? DATA_LIST_LIMIT_DEFAULT : request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    if (!result.ok) return result;
    return ok({
      buckets: result.value.buckets.map(bucketToProto),
      nextCursor: result.value.nextCursor ?? "",
    });
  };
}
